package io.reliabletx.sample.common.mybatis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.scripting.xmltags.XMLLanguageDriver;
import org.apache.ibatis.session.Configuration;

/**
 * The language driver ({@code @Lang(ParsedOnce.class)}) of SQL providers that return one of a few fixed statements,
 * e.g. one per batch size: MyBatis parses a provider's SQL on every call, this driver once per statement. Only for
 * providers whose SQL holds placeholders, never values: each distinct SQL string is kept for good.
 */
public class ParsedOnce extends XMLLanguageDriver {

  private record Key(String sql, Class<?> parameterType) {
  }

  private final Map<Key, SqlSource> parsed = new ConcurrentHashMap<>();

  @Override
  public SqlSource createSqlSource(Configuration configuration, String script, Class<?> parameterType) {
    return parsed.computeIfAbsent(new Key(script, parameterType),
        key -> super.createSqlSource(configuration, key.sql(), key.parameterType()));
  }
}

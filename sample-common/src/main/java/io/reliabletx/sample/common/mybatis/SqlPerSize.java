package io.reliabletx.sample.common.mybatis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A statement over a list, its SQL built once per list size: for a SQL provider in place of a {@code <foreach>}
 * script, which MyBatis evaluates on every call. Pair with {@link ParsedOnce}; the SQL holds placeholders only.
 */
public final class SqlPerSize {

  private final IntFunction<String> build;
  private final Map<Integer, String> built = new ConcurrentHashMap<>();

  /** @param build the SQL for a list of n items (n ≥ 1) */
  public SqlPerSize(IntFunction<String> build) {
    this.build = build;
  }

  public String forSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("no SQL for an empty list");
    }
    return built.computeIfAbsent(size, build::apply);
  }

  /** {@code item(0)}, {@code item(1)}, ... {@code item(n - 1)} joined by {@code separator}. */
  public static String repeat(int n, String separator, IntFunction<String> item) {
    return IntStream.range(0, n).mapToObj(item).collect(Collectors.joining(separator));
  }
}

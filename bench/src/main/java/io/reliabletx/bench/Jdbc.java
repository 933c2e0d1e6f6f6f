package io.reliabletx.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;

/** Connection pools sized like the services' (spring.datasource.hikari.maximum-pool-size: 20). */
final class Jdbc {
  private Jdbc() {
  }

  static HikariDataSource pool(Map<String, Object> serviceProperties) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl((String) serviceProperties.get("spring.datasource.url"));
    config.setUsername((String) serviceProperties.get("spring.datasource.username"));
    config.setPassword((String) serviceProperties.get("spring.datasource.password"));
    config.setMaximumPoolSize(20);
    return new HikariDataSource(config);
  }
}

package io.reliabletx.stock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The stock service: committed order messages in, exactly-once deductions and outcomes out. */
@SpringBootApplication
public class StockApplication {
  public static void main(String[] args) {
    SpringApplication.run(StockApplication.class, args);
  }
}

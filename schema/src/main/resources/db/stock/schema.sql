-- Database tx-msg-stock: owned by sample-stock.
-- Idempotent (IF NOT EXISTS) so the service may apply it at every start without touching data.

CREATE TABLE IF NOT EXISTS stock (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  product_id  BIGINT NOT NULL,
  total_count INT    NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_stock_product_id (product_id),
  CONSTRAINT ck_stock_total_count_non_negative CHECK (total_count >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per applied order message, written in the same local transaction as the deduction, so a
-- redelivered message finds its tx_no here and changes nothing. outcome: DEDUCTED or REJECTED
-- (REJECTED rows deducted nothing; their order is cancelled by compensation).
CREATE TABLE IF NOT EXISTS tx_log (
  tx_no       VARCHAR(64)  NOT NULL,
  create_time DATETIME(3)  NOT NULL,
  order_no    VARCHAR(64)  NOT NULL,
  product_id  BIGINT       NOT NULL,
  pay_count   INT          NOT NULL,
  outcome     VARCHAR(16)  NOT NULL,
  reason      VARCHAR(255) NULL,
  PRIMARY KEY (tx_no),
  KEY ix_tx_log_product_id (product_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

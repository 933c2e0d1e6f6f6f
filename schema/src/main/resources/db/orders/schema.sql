-- Database tx-msg-orders: owned by sample-order.
-- Idempotent (IF NOT EXISTS) so the service may apply it at every start without touching data.

-- Products the order service sells; an order for an id not listed here is refused with HTTP 404.
CREATE TABLE IF NOT EXISTS product (
  id          BIGINT       NOT NULL,
  name        VARCHAR(128) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per order. status: PENDING until the stock service answers, then CONFIRMED (stock deducted)
-- or CANCELLED (compensated: insufficient stock or unknown to the stock service). idempotency_key: the client's
-- Idempotency-Key header (NULL without one); its unique key lets exactly one of two racing retries record an order.
-- resend_attempts, last_resent_at: the pending-order resender's state, on the row so that every replica of the order
-- service shares it (one copy per period, whichever replica claims it) and a capped order stays capped after restarts.
CREATE TABLE IF NOT EXISTS orders (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  create_time   DATETIME(3)  NOT NULL,
  update_time   DATETIME(3)  NOT NULL,
  order_no      VARCHAR(64)  NOT NULL,
  tx_no         VARCHAR(64)  NOT NULL,
  product_id    BIGINT       NOT NULL,
  pay_count     INT          NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  status_reason VARCHAR(255) NULL,
  idempotency_key VARCHAR(64) NULL,
  resend_attempts INT         NOT NULL DEFAULT 0,
  last_resent_at  DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_orders_order_no (order_no),
  UNIQUE KEY uk_orders_tx_no (tx_no),
  UNIQUE KEY uk_orders_idempotency_key (idempotency_key),
  KEY ix_orders_status_created (status, create_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Databases created before idempotency_key existed get it here. MySQL 8 has no ADD COLUMN IF NOT EXISTS, so the
-- ALTER is chosen from information_schema and run as a prepared statement (works on MySQL and MariaDB alike).
SET @add_idempotency_key = (SELECT IF(COUNT(*) = 0,
  'ALTER TABLE orders ADD COLUMN idempotency_key VARCHAR(64) NULL, ADD UNIQUE KEY uk_orders_idempotency_key (idempotency_key)',
  'DO 0')
  FROM information_schema.columns
  WHERE table_schema = DATABASE() AND table_name = 'orders' AND column_name = 'idempotency_key');
PREPARE add_idempotency_key FROM @add_idempotency_key;
EXECUTE add_idempotency_key;
DEALLOCATE PREPARE add_idempotency_key;

-- Databases created before the resender kept its state on the row get the two columns here, the same way.
SET @add_resend_state = (SELECT IF(COUNT(*) = 0,
  'ALTER TABLE orders ADD COLUMN resend_attempts INT NOT NULL DEFAULT 0, ADD COLUMN last_resent_at DATETIME(3) NULL',
  'DO 0')
  FROM information_schema.columns
  WHERE table_schema = DATABASE() AND table_name = 'orders' AND column_name = 'resend_attempts');
PREPARE add_resend_state FROM @add_resend_state;
EXECUTE add_resend_state;
DEALLOCATE PREPARE add_resend_state;

-- The decision record of each transactional message, keyed by tx_no so that exactly one decision wins:
-- the local transaction inserts state COMMITTED together with the order; a check-back that finds no row
-- once the transaction has timed out inserts state ROLLED_BACK first, and a late local transaction then
-- fails on the primary key and rolls back. The broker's check-back answers from this row.
CREATE TABLE IF NOT EXISTS tx_log (
  tx_no       VARCHAR(64) NOT NULL,
  create_time DATETIME(3) NOT NULL,
  state       VARCHAR(16) NOT NULL,
  PRIMARY KEY (tx_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

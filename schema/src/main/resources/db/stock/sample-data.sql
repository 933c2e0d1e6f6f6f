-- Sample stock for the sample catalog (db/orders/sample-data.sql). Re-runnable: never resets existing stock.
INSERT IGNORE INTO stock (product_id, total_count) VALUES (1, 1000), (2, 1000), (3, 1000);

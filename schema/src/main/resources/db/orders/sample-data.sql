-- Sample catalog: the products of a fresh installation (operator init, local runs). Re-runnable.
INSERT IGNORE INTO product (id, name) VALUES (1, 'Reliable mug'), (2, 'Idempotent T-shirt'), (3, 'Eventual sticker pack');

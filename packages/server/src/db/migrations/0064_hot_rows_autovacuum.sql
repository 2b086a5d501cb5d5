-- Rows that every paid order updates: the merchant's, the gateway's and the pools'
-- ledger accounts, the products' sales counters, the SKUs' stock and the entries at the
-- head of its queues. Each update leaves a dead row version that later updates and
-- scans walk until vacuum removes it, so a busy shop slows down between autovacuum runs.
-- These tables are vacuumed after a fixed number of dead rows, not after a fifth of the
-- table has changed (the default), and the account, product and SKU pages keep room for
-- the new version on the same page (HOT updates).
ALTER TABLE ledger_accounts SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000, fillfactor = 80);
ALTER TABLE products SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000, fillfactor = 90);
ALTER TABLE skus SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000, fillfactor = 90);
ALTER TABLE queue_entries SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);

-- Rate-limit counters are short-lived and cheap to lose: unlogged, a counter update writes no WAL,
-- so a change's session read (which also counts the change) commits without waiting for a flush.
-- After a crash PostgreSQL empties the table, which only restarts the current windows.
ALTER TABLE "rate_limit_counter" SET UNLOGGED;

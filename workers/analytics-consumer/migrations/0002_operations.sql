-- The operators' reports (GET /v1/admin/stats) and the dead letters (GET /v1/admin/dead-letters).
-- Aggregates are kept as they come, and each is counted once however often its message is delivered:
-- a change by its (event, event_version) row in `changes`, a read count or refusal report by its id in
-- `reports`.

-- When the feed says it sent the change, and the request that applied it (for lateness, and to find the
-- change's log lines).
ALTER TABLE changes ADD COLUMN sent_at_ms INTEGER;
ALTER TABLE changes ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS updates_per_minute (
  event     TEXT    NOT NULL,
  minute_ms INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (event, minute_ms)
);

CREATE TABLE IF NOT EXISTS reads_per_minute (
  minute_ms INTEGER NOT NULL,
  route     TEXT    NOT NULL,
  status    INTEGER NOT NULL,
  cache     TEXT    NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (minute_ms, route, status, cache)
);

CREATE TABLE IF NOT EXISTS refusals_per_minute (
  minute_ms INTEGER NOT NULL,
  feed      TEXT    NOT NULL,
  problem   TEXT    NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (minute_ms, feed, problem)
);

-- Reports already counted. `token` is the delivery that inserted the row: only that delivery's
-- aggregate statements find it, so a redelivered report adds nothing.
CREATE TABLE IF NOT EXISTS reports (
  id    TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);

-- Messages a consumer gave up on, with why, until an operator replays them.
CREATE TABLE IF NOT EXISTS dead_letters (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  queue          TEXT    NOT NULL,
  event          TEXT,
  event_version  INTEGER,
  request_id     TEXT,
  error          TEXT    NOT NULL,
  sent_at_ms     INTEGER NOT NULL,
  failed_at_ms   INTEGER NOT NULL,
  body           BLOB    NOT NULL,
  replayed_at_ms INTEGER,
  UNIQUE (queue, event, event_version)
);
CREATE INDEX IF NOT EXISTS dead_letters_pending ON dead_letters (replayed_at_ms, failed_at_ms);

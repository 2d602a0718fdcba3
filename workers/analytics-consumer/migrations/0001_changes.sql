-- One row per applied change. (event, event_version) is the change's identity: a redelivered Queue
-- message hits the primary key and is ignored, so at-least-once delivery counts each change once.
CREATE TABLE IF NOT EXISTS changes (
  event          TEXT    NOT NULL,
  event_version  INTEGER NOT NULL,
  kind           TEXT    NOT NULL,
  unit           TEXT    NOT NULL,
  unit_version   INTEGER NOT NULL,
  status         TEXT    NOT NULL,
  message_id     TEXT    NOT NULL,
  feed           TEXT    NOT NULL,
  received_at_ms INTEGER NOT NULL,
  medals_changed INTEGER NOT NULL,
  recorded_at_ms INTEGER NOT NULL,
  PRIMARY KEY (event, event_version)
);
CREATE INDEX IF NOT EXISTS changes_by_feed ON changes (feed, received_at_ms);
CREATE INDEX IF NOT EXISTS changes_by_time ON changes (received_at_ms);

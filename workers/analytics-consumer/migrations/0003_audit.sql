-- The operators' audit trail (GET /v1/admin/audit): every admin action with who did it, what, on which
-- event, when and how it ended, including attempts refused to identities that are not operators.
CREATE TABLE IF NOT EXISTS admin_audit (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms      INTEGER NOT NULL,
  operator   TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  event      TEXT,
  status     INTEGER NOT NULL,
  request_id TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_audit_newest ON admin_audit (at_ms);

-- Webhooks of a team, told of every diagram the team holds: a webhook belongs to one diagram
-- or to one team. SQLite cannot loosen a column's NOT NULL, so the table is made again.
CREATE TABLE webhooks_new (
    id              TEXT PRIMARY KEY NOT NULL,
    diagram_id      TEXT REFERENCES diagrams (id) ON DELETE CASCADE,
    team_id         TEXT REFERENCES teams (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,
    events          TEXT NOT NULL,
    dialect         TEXT NOT NULL,
    enabled         INTEGER NOT NULL,
    disabled_reason TEXT,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    -- A diagram's webhook: the revision its last `diagram.updated` reached (a team's keeps one
    -- per diagram in webhook_progress).
    last_revision   INTEGER NOT NULL,
    CHECK ((diagram_id IS NULL) <> (team_id IS NULL))
);
INSERT INTO webhooks_new (id, diagram_id, url, secret, events, dialect, enabled,
                          disabled_reason, created_by, created_at, last_revision)
    SELECT id, diagram_id, url, secret, events, dialect, enabled, disabled_reason, created_by,
           created_at, last_revision
    FROM webhooks;
DROP TABLE webhooks;
ALTER TABLE webhooks_new RENAME TO webhooks;
CREATE INDEX webhooks_diagram ON webhooks (diagram_id);
CREATE INDEX webhooks_team ON webhooks (team_id);

-- Per team webhook and diagram: the revision its last `diagram.updated` reached.
CREATE TABLE webhook_progress (
    webhook_id    TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    diagram_id    TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    last_revision INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, diagram_id)
);

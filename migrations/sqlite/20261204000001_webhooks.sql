-- Webhooks: per diagram, a URL that is told of changes, and the outbox of what to tell it.

CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY NOT NULL,
    diagram_id      TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    -- The signing secret, `whsec_<base64>`. Kept as it is, since signing needs it (it is not a
    -- credential anyone presents to the server); shown once, when the webhook is made.
    secret          TEXT NOT NULL,
    events          TEXT NOT NULL,
    dialect         TEXT NOT NULL,
    enabled         INTEGER NOT NULL,
    disabled_reason TEXT,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    -- The revision the last `diagram.updated` reached: the next one's migration starts there.
    last_revision   INTEGER NOT NULL
);
CREATE INDEX webhooks_diagram ON webhooks (diagram_id);

-- One row per event to deliver. It outlives its webhook (a `diagram.deleted` is sent after the
-- diagram and its webhooks are gone), so it holds the URL and secret it is sent with.
CREATE TABLE webhook_deliveries (
    id            TEXT PRIMARY KEY NOT NULL,
    webhook_id    TEXT NOT NULL,
    diagram_id    TEXT NOT NULL,
    event         TEXT NOT NULL,
    url           TEXT NOT NULL,
    secret        TEXT NOT NULL,
    from_revision INTEGER,
    to_revision   INTEGER,
    -- The body, for events whose content cannot be read back later (`diagram.deleted`, tests);
    -- else it is made when sent, from history.
    payload       TEXT,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    due_at        INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, due_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status      INTEGER,
    duration_ms INTEGER NOT NULL,
    response    TEXT,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

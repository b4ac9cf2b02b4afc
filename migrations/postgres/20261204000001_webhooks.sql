-- Webhooks: per diagram, a URL that is told of changes, and the outbox of what to tell it.
-- The same tables as the SQLite store's; see migrations/sqlite for why each is so.

CREATE TABLE webhooks (
    rowid           bigint GENERATED ALWAYS AS IDENTITY,
    id              uuid PRIMARY KEY,
    diagram_id      uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    url             text NOT NULL,
    secret          text NOT NULL,
    events          text NOT NULL,
    dialect         text NOT NULL,
    enabled         boolean NOT NULL,
    disabled_reason text,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    last_revision   bigint NOT NULL
);
CREATE INDEX webhooks_diagram ON webhooks (diagram_id);

CREATE TABLE webhook_deliveries (
    rowid         bigint GENERATED ALWAYS AS IDENTITY,
    id            uuid PRIMARY KEY,
    webhook_id    uuid NOT NULL,
    diagram_id    uuid NOT NULL,
    event         text NOT NULL,
    url           text NOT NULL,
    secret        text NOT NULL,
    from_revision bigint,
    to_revision   bigint,
    payload       text,
    state         text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    due_at        timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    attempts      integer NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, due_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL,
    status      integer,
    duration_ms bigint NOT NULL,
    response    text,
    error       text,
    PRIMARY KEY (delivery_id, attempt)
);

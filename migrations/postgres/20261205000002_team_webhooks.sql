-- Webhooks of a team; see migrations/sqlite for why each is so.
ALTER TABLE webhooks ALTER COLUMN diagram_id DROP NOT NULL;
ALTER TABLE webhooks ADD COLUMN team_id uuid REFERENCES teams (id) ON DELETE CASCADE;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_one_owner
    CHECK ((diagram_id IS NULL) <> (team_id IS NULL));
CREATE INDEX webhooks_team ON webhooks (team_id);

CREATE TABLE webhook_progress (
    webhook_id    uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    diagram_id    uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    last_revision bigint NOT NULL,
    PRIMARY KEY (webhook_id, diagram_id)
);

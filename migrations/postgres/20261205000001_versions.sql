-- Revision summaries and named versions; see migrations/sqlite for why each is so.

ALTER TABLE revisions ADD COLUMN summary text;

CREATE TABLE versions (
    id         uuid PRIMARY KEY,
    diagram_id uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    revision   bigint NOT NULL,
    name       text NOT NULL,
    author_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    author_link_id uuid,
    created_at timestamptz NOT NULL
);
CREATE INDEX versions_diagram ON versions (diagram_id, revision);

-- What each revision did, in words: a JSON array of lines, for the History panel. Revisions
-- written before it existed have none.
ALTER TABLE revisions ADD COLUMN summary TEXT;

-- Named versions ("v1.2 deployed"): a revision a person gave a name. History is never pruned,
-- so a named version can always be opened, compared and restored.
CREATE TABLE versions (
    id         TEXT PRIMARY KEY NOT NULL,
    diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    author_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    author_link_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX versions_diagram ON versions (diagram_id, revision);

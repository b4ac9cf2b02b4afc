-- Diagrams and their history.
--
-- `diagrams` holds each diagram's current document (JSON) and revision, so opening a diagram is one
-- read. `revisions` records every change that produced a revision: the initial document
-- (`create`), a whole-document replacement (`replace`: import, restore) or an applied op batch
-- (`ops`). Replaying them in order rebuilds any revision.

CREATE TABLE diagrams (
    id          TEXT PRIMARY KEY NOT NULL,  -- UUID, lowercase hyphenated
    name        TEXT NOT NULL,
    document    TEXT NOT NULL,              -- model::Diagram as JSON
    revision    INTEGER NOT NULL,           -- bumped by one per recorded change
    table_count INTEGER NOT NULL,           -- kept for the list, so it never parses documents
    created_at  TEXT NOT NULL,              -- RFC 3339, UTC
    updated_at  TEXT NOT NULL
);

CREATE TABLE revisions (
    diagram_id    TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('create', 'replace', 'ops')),
    base_revision INTEGER,                  -- for `ops`: the revision the client started from
    body          TEXT NOT NULL,            -- `create`/`replace`: a document; `ops`: a JSON array of ops
    created_at    TEXT NOT NULL,
    PRIMARY KEY (diagram_id, revision)
);

CREATE INDEX diagrams_updated_at ON diagrams (updated_at DESC);

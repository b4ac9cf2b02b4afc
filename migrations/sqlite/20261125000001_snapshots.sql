-- Current documents move out of the `diagrams` row into `snapshots`.
--
-- A write used to rewrite the whole document (megabytes for a big diagram) in the diagrams row.
-- Now a write appends its op batch to `revisions` and updates the small diagrams row; the whole
-- document is written only as a snapshot: at create and replace, and every so many op batches.
-- The current document is the latest snapshot plus the op batches recorded after it.

CREATE TABLE snapshots (
    diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,           -- the revision this document is at
    document   TEXT NOT NULL,              -- model::Diagram as JSON
    PRIMARY KEY (diagram_id, revision)
);

INSERT INTO snapshots (diagram_id, revision, document) SELECT id, revision, document FROM diagrams;

ALTER TABLE diagrams DROP COLUMN document;

-- Live editing: a client names each op batch it sends with a key of its own choosing. History
-- keeps it, so a client that lost its connection before the answer learns from history whether
-- the batch was committed, and a batch sent again under the same key is answered, not applied
-- twice.

ALTER TABLE revisions ADD COLUMN batch_key TEXT;

CREATE UNIQUE INDEX revisions_batch_key ON revisions (diagram_id, batch_key)
    WHERE batch_key IS NOT NULL;

-- The whole schema on PostgreSQL: the same tables as the SQLite migrations build, in native
-- types: `uuid` ids, `timestamptz` times, `bytea` token hashes, `boolean` flags.
--
-- Documents and op batches stay `text`: the server stores and serves the JSON it rendered, byte
-- for byte; `jsonb` would parse and re-order every write for nothing the server asks of it.
--
-- `rowid` columns (an identity) keep the insertion order that SQLite's implicit rowid gives,
-- for lists sorted by creation time where two rows share a second.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,               -- as the person typed it
    email_key     text NOT NULL UNIQUE,        -- lowercased: emails compare case-insensitively
    name          text NOT NULL,
    password_hash text NOT NULL,               -- Argon2id, PHC string format
    admin         boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL
);

CREATE TABLE teams (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE diagrams (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    revision    bigint NOT NULL,               -- bumped by one per recorded change
    table_count bigint NOT NULL,               -- kept for the list, so it never parses documents
    owner_id    uuid REFERENCES users (id),
    team_id     uuid REFERENCES teams (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX diagrams_updated_at ON diagrams (updated_at DESC);
CREATE INDEX diagrams_owner ON diagrams (owner_id);
CREATE INDEX diagrams_team ON diagrams (team_id);

CREATE TABLE revisions (
    diagram_id     uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    revision       bigint NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('create', 'replace', 'ops')),
    base_revision  bigint,                     -- for `ops`: the revision the client started from
    body           text NOT NULL,              -- `create`/`replace`: a document; `ops`: ops
    created_at     timestamptz NOT NULL,
    author_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    author_link_id uuid,
    batch_key      text,
    PRIMARY KEY (diagram_id, revision)
);
CREATE UNIQUE INDEX revisions_batch_key ON revisions (diagram_id, batch_key)
    WHERE batch_key IS NOT NULL;

CREATE TABLE snapshots (
    diagram_id uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    revision   bigint NOT NULL,
    document   text NOT NULL,
    PRIMARY KEY (diagram_id, revision)
);

CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    rowid        bigint GENERATED ALWAYS AS IDENTITY,
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    scope        text NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE team_members (
    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE diagram_members (
    rowid      bigint GENERATED ALWAYS AS IDENTITY,
    diagram_id uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (diagram_id, user_id)
);
CREATE INDEX diagram_members_user ON diagram_members (user_id);

CREATE TABLE share_links (
    rowid      bigint GENERATED ALWAYS AS IDENTITY,
    id         uuid PRIMARY KEY,
    diagram_id uuid NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('viewer', 'editor')),
    token_hash bytea NOT NULL UNIQUE,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX share_links_diagram ON share_links (diagram_id);

CREATE TABLE invites (
    id         uuid PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    email_key  text,                           -- only this email may use it, when set
    created_by uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

CREATE TABLE sign_in_failures (
    rowid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key   text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

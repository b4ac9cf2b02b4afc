-- Accounts, sessions, tokens, shares, links and teams.
--
-- Times are Unix seconds (UTC), compared as numbers. Every secret a client holds (session cookie,
-- API token, share link, invite) is stored only as its SHA-256: the tokens are 256 random bits,
-- so a fast hash is enough; passwords, which people choose, get Argon2id (a PHC string).

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,   -- UUID
    email         TEXT NOT NULL,               -- as the person typed it
    email_key     TEXT NOT NULL UNIQUE,        -- lowercased: emails compare case-insensitively
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,               -- Argon2id, PHC string format
    admin         INTEGER NOT NULL DEFAULT 0,  -- the first account is the server's administrator
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL              -- idle expiry counts from here
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE teams (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- The creator of each diagram, and the team it belongs to. Diagrams stored before accounts
-- existed have no owner until the first account is created, which takes them all.
ALTER TABLE diagrams ADD COLUMN owner_id TEXT REFERENCES users (id);
ALTER TABLE diagrams ADD COLUMN team_id TEXT REFERENCES teams (id) ON DELETE SET NULL;
CREATE INDEX diagrams_owner ON diagrams (owner_id);
CREATE INDEX diagrams_team ON diagrams (team_id);

-- Diagrams shared with people by email.
CREATE TABLE diagram_members (
    diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (diagram_id, user_id)
);
CREATE INDEX diagram_members_user ON diagram_members (user_id);

-- Share links. A revoked link keeps its row, so history can still say a link made a change.
CREATE TABLE share_links (
    id         TEXT PRIMARY KEY NOT NULL,
    diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
    token_hash BLOB NOT NULL UNIQUE,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX share_links_diagram ON share_links (diagram_id);

-- Invites to create an account when sign-up is by invite; each is used once.
CREATE TABLE invites (
    id         TEXT PRIMARY KEY NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    email_key  TEXT,                           -- only this email may use it, when set
    created_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- Failed sign-ins, by account (`email:…`) and by client address (`ip:…`), for throttling.
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);

-- Who made each revision: a person, or someone holding a share link.
ALTER TABLE revisions ADD COLUMN author_user_id TEXT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE revisions ADD COLUMN author_link_id TEXT;

-- +goose Up
CREATE TABLE app_settings (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at datetime NOT NULL
);

CREATE TABLE levels (
    id         text PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    position   integer NOT NULL,
    created_at datetime NOT NULL
);

CREATE TABLE people (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    email         text NOT NULL UNIQUE,
    team          text NOT NULL DEFAULT '',
    level_id      text REFERENCES levels (id) ON DELETE RESTRICT,
    manager_id    text REFERENCES people (id) ON DELETE SET NULL,
    timezone      text NOT NULL,
    working_hours text NOT NULL,
    calendar_id   text NOT NULL DEFAULT '',
    systems       text NOT NULL DEFAULT '[]',
    active        boolean NOT NULL DEFAULT true,
    created_at    datetime NOT NULL,
    updated_at    datetime NOT NULL
);
CREATE INDEX people_name_idx ON people (lower(name), id);
CREATE INDEX people_team_idx ON people (team);
CREATE INDEX people_manager_idx ON people (manager_id);

CREATE TABLE users (
    id              text PRIMARY KEY,
    email           text NOT NULL UNIQUE,
    name            text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'facilitator', 'member', 'leader')),
    password_hash   text NOT NULL DEFAULT '',
    person_id       text UNIQUE REFERENCES people (id) ON DELETE SET NULL,
    active          boolean NOT NULL DEFAULT true,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL,
    last_sign_in_at datetime
);

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    created_at   datetime NOT NULL,
    last_seen_at datetime NOT NULL,
    expires_at   datetime NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    prefix       text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    created_at   datetime NOT NULL,
    last_used_at datetime,
    revoked_at   datetime
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE sign_in_attempts (
    id         integer PRIMARY KEY AUTOINCREMENT,
    scope      text NOT NULL,
    key        text NOT NULL,
    created_at datetime NOT NULL
);
CREATE INDEX sign_in_attempts_key_idx ON sign_in_attempts (scope, key, created_at);

CREATE TABLE events (
    id              text PRIMARY KEY,
    title           text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('incident', 'near_miss', 'surprise', 'normal_work', 'change', 'game_day')),
    status          text NOT NULL CHECK (status IN ('open', 'gathering', 'analyzing', 'reviewing', 'published', 'closed')),
    started_at      datetime NOT NULL,
    ended_at        datetime,
    summary         text NOT NULL DEFAULT '',
    severity        text NOT NULL DEFAULT '',
    investigator_id text REFERENCES people (id) ON DELETE SET NULL,
    created_by      text REFERENCES users (id) ON DELETE SET NULL,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL
);
CREATE INDEX events_started_idx ON events (started_at DESC, id DESC);
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_status_idx ON events (status);

CREATE TABLE event_systems (
    event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    system   text NOT NULL,
    PRIMARY KEY (event_id, system)
);
CREATE INDEX event_systems_system_idx ON event_systems (system);

CREATE TABLE timeline_entries (
    id          text PRIMARY KEY,
    event_id    text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurred_at datetime NOT NULL,
    person_id   text REFERENCES people (id) ON DELETE SET NULL,
    actor       text NOT NULL DEFAULT '',
    body        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('observation', 'action', 'communication', 'hypothesis', 'decision')),
    source_url  text NOT NULL DEFAULT '',
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL
);
CREATE INDEX timeline_entries_event_idx ON timeline_entries (event_id, occurred_at, created_at);

CREATE TABLE involvements (
    id         text PRIMARY KEY,
    event_id   text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id  text NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    role       text NOT NULL CHECK (role IN ('responder', 'incident_commander', 'change_author', 'owner', 'noticed', 'affected', 'expert', 'newcomer', 'other')),
    note       text NOT NULL DEFAULT '',
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL,
    UNIQUE (event_id, person_id, role)
);
CREATE INDEX involvements_person_idx ON involvements (person_id);

CREATE TABLE event_references (
    id         text PRIMARY KEY,
    event_id   text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    url        text NOT NULL,
    label      text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('chat_log', 'dashboard', 'pull_request', 'ticket', 'document', 'recording', 'other')),
    created_at datetime NOT NULL
);
CREATE INDEX event_references_event_idx ON event_references (event_id);

CREATE TABLE audit_entries (
    id            text PRIMARY KEY,
    at            datetime NOT NULL,
    actor_user_id text REFERENCES users (id) ON DELETE SET NULL,
    action        text NOT NULL,
    subject_type  text NOT NULL,
    subject_id    text NOT NULL,
    detail        text NOT NULL DEFAULT ''
);
CREATE INDEX audit_entries_subject_idx ON audit_entries (subject_type, subject_id, at);

-- +goose Down
DROP TABLE audit_entries;
DROP TABLE event_references;
DROP TABLE involvements;
DROP TABLE timeline_entries;
DROP TABLE event_systems;
DROP TABLE events;
DROP TABLE sign_in_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE people;
DROP TABLE levels;
DROP TABLE app_settings;

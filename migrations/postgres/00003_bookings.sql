-- +goose Up
-- Calendar bookings (issue 4). A booking is the calendar side of a chat or
-- session; the calendar write itself happens in a durable job.

-- btree_gist lets a GiST exclusion constraint compare uuids with "=";
-- it is a trusted extension, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE bookings (
    id                  uuid PRIMARY KEY,
    title               text NOT NULL,
    description         text NOT NULL DEFAULT '',
    event_id            uuid REFERENCES events (id) ON DELETE SET NULL,
    kind                text NOT NULL CHECK (kind IN ('chat', 'session', 'other')),
    provider            text NOT NULL CHECK (provider IN ('google', 'builtin')),
    organizer_person_id uuid REFERENCES people (id) ON DELETE SET NULL,
    -- The organizer's address: the person's email, or a calendar that is
    -- not a person (e.g. the service account's organizer mailbox).
    organizer_email     text NOT NULL,
    start_at            timestamptz NOT NULL,
    end_at              timestamptz NOT NULL,
    status              text NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed', 'canceled', 'needs_attention')),
    external_id         text NOT NULL DEFAULT '',
    etag                text NOT NULL DEFAULT '',
    -- sequence is the iCalendar SEQUENCE shown to calendar apps; revision
    -- counts Debrief's own changes so a push job can tell it wrote stale
    -- details when the booking changed while it ran.
    sequence            integer NOT NULL DEFAULT 0,
    revision            integer NOT NULL DEFAULT 0,
    meet_url            text NOT NULL DEFAULT '',
    attempts            integer NOT NULL DEFAULT 0,
    last_error          text NOT NULL DEFAULT '',
    attention_reason    text NOT NULL DEFAULT '',
    created_by          uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    canceled_at         timestamptz,
    CHECK (end_at > start_at)
);
CREATE INDEX bookings_start_idx ON bookings (start_at, id);
CREATE INDEX bookings_status_idx ON bookings (status);
CREATE INDEX bookings_event_idx ON bookings (event_id);
CREATE INDEX bookings_organizer_idx ON bookings (organizer_person_id);

CREATE TABLE booking_attendees (
    booking_id   uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    person_id    uuid NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    optional     boolean NOT NULL DEFAULT false,
    response     text NOT NULL DEFAULT 'needsAction' CHECK (response IN ('needsAction', 'accepted', 'declined', 'tentative')),
    responded_at timestamptz,
    PRIMARY KEY (booking_id, person_id)
);
CREATE INDEX booking_attendees_person_idx ON booking_attendees (person_id);

-- One row per person a booking keeps busy (attendees and the organizer).
-- The exclusion constraint is the guarantee that no person holds two
-- active bookings at overlapping times, whatever the application does:
-- ranges are half-open, so back-to-back bookings [a,b) and [b,c) pass.
CREATE TABLE booking_holds (
    booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    person_id  uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    during     tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
    active     boolean NOT NULL DEFAULT true,
    PRIMARY KEY (booking_id, person_id),
    CONSTRAINT booking_holds_no_overlap EXCLUDE USING gist (person_id WITH =, during WITH &&) WHERE (active)
);

-- Google sync tokens per organizer calendar, in the database so any serve
-- process can run the sync.
CREATE TABLE calendar_sync_state (
    organizer  text PRIMARY KEY,
    sync_token text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL
);

-- The built-in calendar's per-person secret feed URL; only a hash of the
-- token is kept.
CREATE TABLE person_feeds (
    person_id  uuid PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- +goose Down
-- btree_gist stays: other schemas may use it and dropping it is not ours
-- to decide.
DROP TABLE person_feeds;
DROP TABLE calendar_sync_state;
DROP TABLE booking_holds;
DROP TABLE booking_attendees;
DROP TABLE bookings;

-- +goose Up
-- Calendar bookings (issue 4). A booking is the calendar side of a chat or
-- session; the calendar write itself happens in a durable job.
CREATE TABLE bookings (
    id                  text PRIMARY KEY,
    title               text NOT NULL,
    description         text NOT NULL DEFAULT '',
    event_id            text REFERENCES events (id) ON DELETE SET NULL,
    kind                text NOT NULL CHECK (kind IN ('chat', 'session', 'other')),
    provider            text NOT NULL CHECK (provider IN ('google', 'builtin')),
    organizer_person_id text REFERENCES people (id) ON DELETE SET NULL,
    -- The organizer's address: the person's email, or a calendar that is
    -- not a person (e.g. the service account's organizer mailbox).
    organizer_email     text NOT NULL,
    start_at            datetime NOT NULL,
    end_at              datetime NOT NULL,
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
    created_by          text REFERENCES users (id) ON DELETE SET NULL,
    created_at          datetime NOT NULL,
    updated_at          datetime NOT NULL,
    canceled_at         datetime,
    CHECK (julianday(end_at) > julianday(start_at))
);
CREATE INDEX bookings_start_idx ON bookings (start_at, id);
CREATE INDEX bookings_status_idx ON bookings (status);
CREATE INDEX bookings_event_idx ON bookings (event_id);
CREATE INDEX bookings_organizer_idx ON bookings (organizer_person_id);

CREATE TABLE booking_attendees (
    booking_id   text NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    person_id    text NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    optional     boolean NOT NULL DEFAULT false,
    response     text NOT NULL DEFAULT 'needsAction' CHECK (response IN ('needsAction', 'accepted', 'declined', 'tentative')),
    responded_at datetime,
    PRIMARY KEY (booking_id, person_id)
);
CREATE INDEX booking_attendees_person_idx ON booking_attendees (person_id);

-- One row per person a booking keeps busy (attendees and the organizer).
-- SQLite has no exclusion constraints; the triggers below refuse an active
-- hold that overlaps another active hold of the same person. That is as
-- strong as PostgreSQL's constraint here because SQLite has one writer and
-- Debrief opens every transaction with BEGIN IMMEDIATE, so no two
-- transactions can both pass the check before either writes. Ranges are
-- half-open: back-to-back bookings [a,b) and [b,c) pass. Times are
-- compared through julianday() so the check does not depend on how a
-- driver spells a timestamp.
CREATE TABLE booking_holds (
    booking_id text NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    person_id  text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    start_at   datetime NOT NULL,
    end_at     datetime NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    PRIMARY KEY (booking_id, person_id),
    CHECK (julianday(end_at) > julianday(start_at))
);
CREATE INDEX booking_holds_person_idx ON booking_holds (person_id) WHERE active;

-- +goose StatementBegin
CREATE TRIGGER booking_holds_no_overlap_insert
BEFORE INSERT ON booking_holds
WHEN NEW.active
BEGIN
    SELECT RAISE(ABORT, 'booking_overlap')
    WHERE EXISTS (
        SELECT 1 FROM booking_holds h
        WHERE h.person_id = NEW.person_id
          AND h.active
          AND julianday(NEW.start_at) < julianday(h.end_at)
          AND julianday(h.start_at) < julianday(NEW.end_at)
    );
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER booking_holds_no_overlap_update
BEFORE UPDATE ON booking_holds
WHEN NEW.active
BEGIN
    SELECT RAISE(ABORT, 'booking_overlap')
    WHERE EXISTS (
        SELECT 1 FROM booking_holds h
        WHERE h.person_id = NEW.person_id
          AND h.active
          AND h.rowid <> OLD.rowid
          AND julianday(NEW.start_at) < julianday(h.end_at)
          AND julianday(h.start_at) < julianday(NEW.end_at)
    );
END;
-- +goose StatementEnd

-- Google sync tokens per organizer calendar, in the database so any serve
-- process can run the sync.
CREATE TABLE calendar_sync_state (
    organizer  text PRIMARY KEY,
    sync_token text NOT NULL DEFAULT '',
    updated_at datetime NOT NULL
);

-- The built-in calendar's per-person secret feed URL; only a hash of the
-- token is kept.
CREATE TABLE person_feeds (
    person_id  text PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at datetime NOT NULL,
    revoked_at datetime
);

-- +goose Down
DROP TABLE person_feeds;
DROP TABLE calendar_sync_state;
DROP TRIGGER booking_holds_no_overlap_update;
DROP TRIGGER booking_holds_no_overlap_insert;
DROP TABLE booking_holds;
DROP TABLE booking_attendees;
DROP TABLE bookings;

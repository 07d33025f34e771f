-- +goose Up
-- Question guides. A guide is a sequence of immutable versions; chats pin
-- (guide_id, version), so a version is never updated or deleted once
-- written (enforced below by triggers), and guides are archived, not
-- deleted.
CREATE TABLE guides (
    id                  uuid PRIMARY KEY,
    slug                text NOT NULL UNIQUE,
    title               text NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('responder_chat', 'non_responder_chat', 'learn_session', 'improve_session', 'change_addon', 'game_day')),
    description         text NOT NULL DEFAULT '',
    builtin             boolean NOT NULL DEFAULT false,
    add_on              boolean NOT NULL DEFAULT false,
    current_version     integer NOT NULL CHECK (current_version >= 1),
    copied_from_id      uuid REFERENCES guides (id) ON DELETE SET NULL,
    copied_from_version integer,
    archived            boolean NOT NULL DEFAULT false,
    created_by          uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CHECK (add_on = (kind = 'change_addon'))
);
CREATE INDEX guides_title_idx ON guides (lower(title), id);
CREATE INDEX guides_kind_idx ON guides (kind);

CREATE TABLE guide_versions (
    guide_id     uuid NOT NULL REFERENCES guides (id) ON DELETE RESTRICT,
    version      integer NOT NULL CHECK (version >= 1),
    title        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    -- content is JSON: opener, questions [{id, text, probes, sections}],
    -- closer, suggested_minutes. Kept as text so both dialects store the
    -- exact bytes written.
    content      text NOT NULL,
    content_hash text NOT NULL,
    note         text NOT NULL DEFAULT '',
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (guide_id, version)
);

-- +goose StatementBegin
CREATE FUNCTION guide_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'guide versions are immutable; save a new version instead';
END;
$$;
-- +goose StatementEnd

-- created_by may still be cleared when its user is deleted.
CREATE TRIGGER guide_versions_no_update
    BEFORE UPDATE OF guide_id, version, title, description, content, content_hash, note, created_at
    ON guide_versions FOR EACH ROW EXECUTE FUNCTION guide_versions_immutable();
CREATE TRIGGER guide_versions_no_delete
    BEFORE DELETE ON guide_versions FOR EACH ROW EXECUTE FUNCTION guide_versions_immutable();

-- +goose Down
DROP TABLE guide_versions;
DROP FUNCTION guide_versions_immutable();
DROP TABLE guides;

-- +goose Up
-- Sign in with Google / OpenID Connect (issue 4): the provider's stable
-- subject for the person, recorded on their first such sign-in; later ones
-- must carry the same subject. NULL until then; one account per subject.
ALTER TABLE users ADD COLUMN oidc_subject text;
CREATE UNIQUE INDEX users_oidc_subject_idx ON users (oidc_subject);

-- +goose Down
DROP INDEX users_oidc_subject_idx;
ALTER TABLE users DROP COLUMN oidc_subject;

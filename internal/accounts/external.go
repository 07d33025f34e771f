package accounts

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
)

// SignInExternal opens a session for someone an OpenID provider vouched
// for: email is an address the provider has verified, subject the
// provider's stable id for the person's account there.
//
// The rules:
//   - only an existing, active account whose email is that address may sign
//     in; there is no self-registration: an admin adds people first;
//   - the first such sign-in records subject on the account; every later one
//     must carry the same subject, so another provider account that comes to
//     claim the same address (a recycled mailbox, a personal account
//     registered with a work address) cannot take the account over;
//   - one subject belongs to at most one account;
//   - refusals count against the same rate limits as wrong passwords, and
//     past the limit even a good sign-in is refused until the window passes.
//
// The email is already verified by the provider, so refusals may name it:
// only its owner can be told whether it has an account.
func (s *Service) SignInExternal(ctx context.Context, email, subject string, c Client) (string, Session, error) {
	email = normalizeEmail(email)
	if email == "" || subject == "" || len(subject) > 255 {
		return "", Session{}, apperr.New(apperr.Unauthenticated, "the identity provider did not say who you are")
	}
	if err := s.checkRateLimit(ctx, email, c.IP); err != nil {
		return "", Session{}, err
	}
	refuse := func(format string, args ...any) (string, Session, error) {
		if err := s.recordFailure(ctx, email, c.IP); err != nil {
			return "", Session{}, err
		}
		return "", Session{}, apperr.New(apperr.Unauthenticated, format, args...)
	}
	var u userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Limit(1).Find(&u).Error; err != nil {
		return "", Session{}, fmt.Errorf("load user: %w", err)
	}
	switch {
	case u.ID == "":
		return refuse("no Debrief account uses %s; ask an admin to add you", email)
	case !u.Active:
		return refuse("the Debrief account for %s is deactivated; ask an admin", email)
	case u.OIDCSubject != nil && *u.OIDCSubject != subject:
		return refuse("the Debrief account for %s signs in with a different account at the identity provider; use that one, or ask an admin", email)
	}
	var holders int64
	if err := s.db.WithContext(ctx).Model(&userRow{}).Where("oidc_subject = ? AND id <> ?", subject, u.ID).
		Count(&holders).Error; err != nil {
		return "", Session{}, fmt.Errorf("check subject: %w", err)
	}
	if holders > 0 {
		return refuse("this account at the identity provider already signs in to another Debrief account; ask an admin")
	}
	var secret string
	var sess Session
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.OIDCSubject == nil {
			// Record the subject only if no other sign-in did first: two
			// racing first sign-ins with different subjects cannot both win.
			res := tx.Model(&userRow{}).Where("id = ? AND oidc_subject IS NULL", u.ID).Update("oidc_subject", subject)
			if res.Error != nil {
				if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
					return raced()
				}
				return fmt.Errorf("record subject: %w", res.Error)
			}
			if res.RowsAffected != 1 {
				// Another sign-in recorded a subject meanwhile: fine if it
				// was this one (two tabs), a refusal otherwise.
				var now userRow
				if err := tx.Where("id = ?", u.ID).Limit(1).Find(&now).Error; err != nil {
					return fmt.Errorf("reload user: %w", err)
				}
				if now.OIDCSubject == nil || *now.OIDCSubject != subject {
					return raced()
				}
			} else if err := audit.Record(ctx, tx, u.ID, "user.oidc_linked", "user", u.ID, nil); err != nil {
				return err
			}
			u.OIDCSubject = &subject
		}
		if err := tx.Where("scope = ? AND key = ?", "account", email).Delete(&attemptRow{}).Error; err != nil {
			return fmt.Errorf("clear attempts: %w", err)
		}
		now := s.now()
		if u.PersonID == nil {
			if pid := s.personByEmail(ctx, tx, u.Email); pid != "" {
				u.PersonID = &pid
			}
		}
		u.LastSignInAt = &now
		if err := tx.Model(&userRow{}).Where("id = ?", u.ID).
			Updates(map[string]any{"last_sign_in_at": now, "person_id": u.PersonID}).Error; err != nil {
			return fmt.Errorf("record sign-in: %w", err)
		}
		var err error
		secret, sess, err = s.openSession(tx, u, c)
		return err
	})
	return secret, sess, err
}

package accounts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// Session is what a signed-in browser learns about itself.
type Session struct {
	User      User   `json:"user"`
	CSRFToken string `json:"csrf_token"`
}

// Credentials identify a browser's request for rate limiting and the
// session record.
type Client struct {
	IP        string
	UserAgent string
}

// SignIn checks an email and password and opens a session. It returns the
// session secret for the cookie. Failures count against both the account
// and the address; past the limit every attempt is refused until the
// window has passed, even with the right password.
func (s *Service) SignIn(ctx context.Context, email, password string, c Client) (string, Session, error) {
	email = normalizeEmail(email)
	if email == "" || password == "" {
		var f apperr.Fields
		if email == "" {
			f.Add("email", "is required")
		}
		if password == "" {
			f.Add("password", "is required")
		}
		return "", Session{}, f.Err()
	}
	if err := s.checkRateLimit(ctx, email, c.IP); err != nil {
		return "", Session{}, err
	}
	var u userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Limit(1).Find(&u).Error; err != nil {
		return "", Session{}, fmt.Errorf("load user: %w", err)
	}
	hash := u.PasswordHash
	if u.ID == "" || hash == "" {
		hash = s.dummyHash
	}
	ok, err := verifyPassword(hash, password)
	if err != nil && u.ID != "" {
		return "", Session{}, fmt.Errorf("verify password for %s: %w", u.ID, err)
	}
	if !ok || u.ID == "" || u.PasswordHash == "" || !u.Active {
		if err := s.recordFailure(ctx, email, c.IP); err != nil {
			return "", Session{}, err
		}
		return "", Session{}, apperr.New(apperr.Unauthenticated, "that email and password do not match an active account")
	}
	var secret string
	var sess Session
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A good sign-in clears the account's failures, but not the
		// address's: one right password must not unlock guessing others.
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

func (s *Service) openSession(tx *gorm.DB, u userRow, c Client) (string, Session, error) {
	secret := randomToken(32)
	now := s.now()
	row := sessionRow{ID: digest(secret), UserID: u.ID, CSRFToken: randomToken(32), IP: c.IP,
		UserAgent: truncate(c.UserAgent, 300), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.opts.SessionTTL)}
	if err := tx.Create(&row).Error; err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	return secret, Session{User: u.user(), CSRFToken: row.CSRFToken}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (s *Service) checkRateLimit(ctx context.Context, email, ip string) error {
	since := s.now().Add(-s.opts.SignInWindow)
	for _, k := range [][2]string{{"account", email}, {"address", ip}} {
		if k[1] == "" {
			continue
		}
		var rows []attemptRow
		err := s.db.WithContext(ctx).Where("scope = ? AND key = ? AND created_at > ?", k[0], k[1], since).
			Order("created_at").Limit(s.opts.SignInLimit).Find(&rows).Error
		if err != nil {
			return fmt.Errorf("count sign-in attempts: %w", err)
		}
		if len(rows) >= s.opts.SignInLimit {
			wait := rows[0].CreatedAt.Add(s.opts.SignInWindow).Sub(s.now())
			secs := int(math.Ceil(wait.Seconds()))
			if secs < 1 {
				secs = 1
			}
			return &apperr.Error{Code: apperr.TooManyRequests, RetryAfter: secs,
				Message: fmt.Sprintf("too many failed sign-in attempts; try again in %s", humanWait(secs))}
		}
	}
	return nil
}

func humanWait(secs int) string {
	if secs < 90 {
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d minutes", (secs+59)/60)
}

func (s *Service) recordFailure(ctx context.Context, email, ip string) error {
	now := s.now()
	rows := []attemptRow{{Scope: "account", Key: email, CreatedAt: now}}
	if ip != "" {
		rows = append(rows, attemptRow{Scope: "address", Key: ip, CreatedAt: now})
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&rows).Error; err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		// Old attempts no longer count; dropping them here keeps the table
		// small without a separate clean-up job.
		if err := tx.Where("created_at < ?", now.Add(-s.opts.SignInWindow)).Delete(&attemptRow{}).Error; err != nil {
			return fmt.Errorf("prune sign-in attempts: %w", err)
		}
		return nil
	})
}

// Authenticated is the result of checking a session or token.
type Authenticated struct {
	Actor actor.Actor
	// CSRFToken is set for browser sessions; tokens need none.
	CSRFToken string
	SessionID string
}

// touchEvery limits how often a session's or token's last-used time is
// written: once a minute is plenty and keeps reads from turning into writes.
const touchEvery = time.Minute

// AuthenticateSession resolves a session cookie.
func (s *Service) AuthenticateSession(ctx context.Context, secret string) (Authenticated, error) {
	unauth := apperr.New(apperr.Unauthenticated, "your session has ended; sign in again")
	if secret == "" || len(secret) > 200 {
		return Authenticated{}, unauth
	}
	id := digest(secret)
	var row sessionRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&row).Error; err != nil {
		return Authenticated{}, fmt.Errorf("load session: %w", err)
	}
	now := s.now()
	if row.ID == "" || !row.ExpiresAt.After(now) {
		return Authenticated{}, unauth
	}
	u, err := s.userByID(ctx, s.db, row.UserID)
	if err != nil || !u.Active {
		return Authenticated{}, unauth
	}
	if now.Sub(row.LastSeenAt) > touchEvery {
		// Sliding expiry: an active user stays signed in.
		err := s.db.WithContext(ctx).Model(&sessionRow{}).Where("id = ?", id).
			Updates(map[string]any{"last_seen_at": now, "expires_at": now.Add(s.opts.SessionTTL)}).Error
		if err != nil {
			return Authenticated{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return Authenticated{Actor: u.actor(), CSRFToken: row.CSRFToken, SessionID: id}, nil
}

// Me returns the session view of an authenticated caller.
func (s *Service) Me(ctx context.Context, a Authenticated) (Session, error) {
	u, err := s.userByID(ctx, s.db, a.Actor.UserID)
	if err != nil {
		return Session{}, err
	}
	return Session{User: u.user(), CSRFToken: a.CSRFToken}, nil
}

// SignOut ends the session with the given cookie secret.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", digest(secret)).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// ApiToken describes a token without its secret.
type ApiToken struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func (r tokenRow) token() ApiToken {
	return ApiToken{ID: r.ID, Name: r.Name, Prefix: r.Prefix, CreatedAt: r.CreatedAt.UTC(),
		LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt)}
}

// NewApiToken carries the secret, which is shown once and never stored.
type NewApiToken struct {
	Token    string   `json:"token"`
	APIToken ApiToken `json:"api_token"`
}

const tokenPrefix = "dbf_"

// CreateToken issues an API token for the caller's own account.
func (s *Service) CreateToken(ctx context.Context, a actor.Actor, name string) (NewApiToken, error) {
	return s.createToken(ctx, a.UserID, a.UserID, name)
}

// CreateTokenFor issues a token for the account with the given email; the
// CLI uses it.
func (s *Service) CreateTokenFor(ctx context.Context, email, name string) (NewApiToken, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return NewApiToken{}, err
	}
	return s.createToken(ctx, "", u.ID, name)
}

func (s *Service) createToken(ctx context.Context, actorID, userID, name string) (NewApiToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return NewApiToken{}, &apperr.Error{Code: apperr.Invalid, Message: "name must be 1 to 100 characters",
			Fields: []apperr.FieldError{{Field: "name", Message: "must be 1 to 100 characters"}}}
	}
	secret := tokenPrefix + randomToken(32)
	row := tokenRow{ID: idgen.New(), UserID: userID, Name: name, Prefix: secret[:len(tokenPrefix)+6],
		TokenHash: digest(secret), CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return audit.Record(ctx, tx, actorID, "token.created", "user", userID, map[string]string{"token": row.ID, "name": name})
	})
	if err != nil {
		return NewApiToken{}, err
	}
	return NewApiToken{Token: secret, APIToken: row.token()}, nil
}

// ListTokens returns the caller's tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, a actor.Actor) ([]ApiToken, error) {
	var rows []tokenRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", a.UserID).Order("created_at DESC, id DESC").
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	out := make([]ApiToken, len(rows))
	for i, r := range rows {
		out[i] = r.token()
	}
	return out, nil
}

// RevokeToken revokes one of the caller's tokens. Revoking twice is fine.
func (s *Service) RevokeToken(ctx context.Context, a actor.Actor, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.NotFoundf("no such token")
	}
	var row tokenRow
	if err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", id, a.UserID).Limit(1).Find(&row).Error; err != nil {
		return fmt.Errorf("load token: %w", err)
	}
	if row.ID == "" {
		return apperr.NotFoundf("no such token")
	}
	if row.RevokedAt != nil {
		return nil
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&tokenRow{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return audit.Record(ctx, tx, a.UserID, "token.revoked", "user", a.UserID, map[string]string{"token": id})
	})
}

// AuthenticateToken resolves a bearer token.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (Authenticated, error) {
	unauth := apperr.New(apperr.Unauthenticated, "the API token is not valid or has been revoked")
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return Authenticated{}, unauth
	}
	var row tokenRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", digest(secret)).Limit(1).Find(&row).Error; err != nil {
		return Authenticated{}, fmt.Errorf("load token: %w", err)
	}
	if row.ID == "" || row.RevokedAt != nil {
		return Authenticated{}, unauth
	}
	u, err := s.userByID(ctx, s.db, row.UserID)
	if err != nil || !u.Active {
		return Authenticated{}, unauth
	}
	now := s.now()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > touchEvery {
		if err := s.db.WithContext(ctx).Model(&tokenRow{}).Where("id = ?", row.ID).
			Update("last_used_at", now).Error; err != nil {
			return Authenticated{}, fmt.Errorf("touch token: %w", err)
		}
	}
	return Authenticated{Actor: u.actor()}, nil
}

const setupKey = "setup_token_sha256"

// NeedsSetup reports whether no account exists yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.CountUsers(ctx)
	return n == 0, err
}

// IssueSetupToken creates a fresh single-use token for creating the first
// admin from the browser, replacing any earlier one. It returns "" when
// accounts already exist.
func (s *Service) IssueSetupToken(ctx context.Context) (string, error) {
	need, err := s.NeedsSetup(ctx)
	if err != nil || !need {
		return "", err
	}
	tok := randomToken(24)
	if err := s.upsertSetting(s.db.WithContext(ctx), setupKey, digest(tok)); err != nil {
		return "", fmt.Errorf("store setup token: %w", err)
	}
	return tok, nil
}

// SetupInput creates the first admin.
type SetupInput struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// CompleteSetup creates the first admin and signs them in. The token is
// consumed in the same transaction, so two browsers racing cannot both win.
func (s *Service) CompleteSetup(ctx context.Context, in SetupInput, c Client) (string, Session, error) {
	nu := NewUser{Email: in.Email, Name: in.Name, Password: in.Password, Role: string(actor.Admin)}
	if err := s.validateNewUser(&nu); err != nil {
		return "", Session{}, err
	}
	if strings.TrimSpace(in.Token) == "" {
		return "", Session{}, &apperr.Error{Code: apperr.Invalid, Message: "the set-up token is missing; use the link printed by `debrief serve`",
			Fields: []apperr.FieldError{{Field: "token", Message: "is required"}}}
	}
	var secret string
	var sess Session
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&userRow{}).Count(&n).Error; err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("Debrief is already set up; sign in instead")
		}
		res := tx.Where("key = ? AND value = ?", setupKey, digest(strings.TrimSpace(in.Token))).Delete(&settingRow{})
		if res.Error != nil {
			return fmt.Errorf("consume setup token: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return apperr.Forbiddenf("the set-up link is not valid; restart `debrief serve` for a new one")
		}
		u, err := s.insertUser(ctx, tx, nu)
		if err != nil {
			return err
		}
		now := s.now()
		u.LastSignInAt = &now
		if err := tx.Model(&userRow{}).Where("id = ?", u.ID).Update("last_sign_in_at", now).Error; err != nil {
			return fmt.Errorf("record sign-in: %w", err)
		}
		if err := audit.Record(ctx, tx, u.ID, "user.created", "user", u.ID, map[string]string{"role": "admin", "via": "setup"}); err != nil {
			return err
		}
		secret, sess, err = s.openSession(tx, u, c)
		return err
	})
	if err != nil {
		return "", Session{}, err
	}
	return secret, sess, nil
}

// IsUnauthenticated reports whether err means "not signed in".
func IsUnauthenticated(err error) bool {
	var e *apperr.Error
	return errors.As(err, &e) && e.Code == apperr.Unauthenticated
}

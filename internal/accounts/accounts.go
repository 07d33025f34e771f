// Package accounts owns users, passwords, browser sessions, API tokens,
// sign-in rate limits and the first-run set-up. Everything here lives in
// the database so that several serve processes share one view of it.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/idgen"
	"github.com/debrief-dev/debrief/internal/nullable"
	"github.com/debrief-dev/debrief/internal/pagination"
)

// User is an account as the API shows it.
type User struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Role         actor.Role `json:"role"`
	PersonID     *string    `json:"person_id"`
	Active       bool       `json:"active"`
	CreatedAt    time.Time  `json:"created_at"`
	LastSignInAt *time.Time `json:"last_sign_in_at"`
}

type userRow struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	PersonID     *string
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastSignInAt *time.Time
	// OIDCSubject is the OpenID provider's id for the person, recorded at
	// their first sign-in with it (see SignInExternal).
	OIDCSubject *string `gorm:"column:oidc_subject"`
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() User {
	return User{ID: r.ID, Email: r.Email, Name: r.Name, Role: actor.Role(r.Role), PersonID: r.PersonID,
		Active: r.Active, CreatedAt: r.CreatedAt.UTC(), LastSignInAt: utcPtr(r.LastSignInAt)}
}

func (r userRow) actor() actor.Actor {
	a := actor.Actor{UserID: r.ID, Name: r.Name, Email: r.Email, Role: actor.Role(r.Role)}
	if r.PersonID != nil {
		a.PersonID = *r.PersonID
	}
	return a
}

type sessionRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	CSRFToken  string `gorm:"column:csrf_token"`
	IP         string `gorm:"column:ip"`
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type tokenRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	Name       string
	Prefix     string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (tokenRow) TableName() string { return "api_tokens" }

type attemptRow struct {
	ID        int64 `gorm:"primaryKey;autoIncrement"`
	Scope     string
	Key       string
	CreatedAt time.Time
}

func (attemptRow) TableName() string { return "sign_in_attempts" }

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "app_settings" }

type personRow struct {
	ID    string
	Email string
}

func (personRow) TableName() string { return "people" }

// Options tune the service; zero values take the defaults.
type Options struct {
	SessionTTL   time.Duration
	SignInLimit  int
	SignInWindow time.Duration
	Hash         HashParams
	Now          func() time.Time
}

// Service implements accounts.
type Service struct {
	db   *gorm.DB
	opts Options
	// dummyHash is verified against when the email is unknown so that a
	// sign-in takes as long whether or not the account exists.
	dummyHash string
}

// NewService returns a Service over db.
func NewService(db *gorm.DB, o Options) (*Service, error) {
	if o.SessionTTL == 0 {
		o.SessionTTL = 14 * 24 * time.Hour
	}
	if o.SignInLimit == 0 {
		o.SignInLimit = 10
	}
	if o.SignInWindow == 0 {
		o.SignInWindow = 15 * time.Minute
	}
	if o.Hash == (HashParams{}) {
		o.Hash = DefaultHashParams()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	dummy, err := hashPassword(o.Hash, "not a real password, used for timing")
	if err != nil {
		return nil, err
	}
	return &Service{db: db, opts: o, dummyHash: dummy}, nil
}

func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand never fails on supported platforms; if it did, no
		// secret we could issue would be safe.
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func digest(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// NewUser is the input for CreateUser.
type NewUser struct {
	Email    string  `json:"email"`
	Name     string  `json:"name"`
	Role     string  `json:"role"`
	Password string  `json:"password"`
	PersonID *string `json:"person_id"`
}

func (s *Service) validateNewUser(in *NewUser) error {
	var f apperr.Fields
	in.Email = normalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if !validEmail(in.Email) {
		f.Add("email", "must be an email address like name@example.com")
	}
	if in.Name == "" {
		f.Add("name", "is required")
	} else if len([]rune(in.Name)) > 200 {
		f.Add("name", "must be at most 200 characters")
	}
	if _, err := actor.ParseRole(in.Role); err != nil {
		f.Add("role", "must be one of admin, facilitator, member, leader")
	}
	validatePassword(&f, "password", in.Password)
	return f.Err()
}

// CreateUser adds an account. Only admins may; the CLI passes an admin
// actor with no user id.
func (s *Service) CreateUser(ctx context.Context, a actor.Actor, in NewUser) (User, error) {
	if !a.IsAdmin() {
		return User{}, apperr.Forbiddenf("only admins can add users")
	}
	if err := s.validateNewUser(&in); err != nil {
		return User{}, err
	}
	var out User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := s.insertUser(ctx, tx, in)
		if err != nil {
			return err
		}
		out = u.user()
		return audit.Record(ctx, tx, a.UserID, "user.created", "user", u.ID, map[string]any{"role": u.Role, "email": u.Email})
	})
	return out, err
}

func (s *Service) insertUser(ctx context.Context, tx *gorm.DB, in NewUser) (userRow, error) {
	hash, err := hashPassword(s.opts.Hash, in.Password)
	if err != nil {
		return userRow{}, err
	}
	now := s.now()
	u := userRow{ID: idgen.New(), Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash,
		Active: true, CreatedAt: now, UpdatedAt: now}
	if in.PersonID != nil && *in.PersonID != "" {
		if err := s.checkPerson(ctx, tx, *in.PersonID); err != nil {
			return userRow{}, err
		}
		u.PersonID = in.PersonID
	} else if pid := s.personByEmail(ctx, tx, in.Email); pid != "" {
		// Linking by email lets a member see the events they took part in
		// without an admin doing it by hand.
		u.PersonID = &pid
	}
	if err := s.checkUnique(ctx, tx, u); err != nil {
		return userRow{}, err
	}
	if err := tx.WithContext(ctx).Create(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return userRow{}, raced()
		}
		return userRow{}, fmt.Errorf("insert user: %w", err)
	}
	return u, nil
}

// checkUnique reports which unique field of u another account already
// holds. It runs before the write: on PostgreSQL a failed insert poisons the
// transaction, so the reason could not be looked up afterwards.
func (s *Service) checkUnique(ctx context.Context, tx *gorm.DB, u userRow) error {
	var n int64
	if err := tx.WithContext(ctx).Model(&userRow{}).Where("email = ? AND id <> ?", u.Email, u.ID).Count(&n).Error; err != nil {
		return fmt.Errorf("check email: %w", err)
	}
	if n > 0 {
		return &apperr.Error{Code: apperr.Conflict, Message: "a user with this email already exists",
			Fields: []apperr.FieldError{{Field: "email", Message: "is already used by another account"}}}
	}
	if u.PersonID != nil {
		if err := tx.WithContext(ctx).Model(&userRow{}).Where("person_id = ? AND id <> ?", *u.PersonID, u.ID).Count(&n).Error; err != nil {
			return fmt.Errorf("check person link: %w", err)
		}
		if n > 0 {
			return &apperr.Error{Code: apperr.Conflict, Message: "this person is already linked to another account",
				Fields: []apperr.FieldError{{Field: "person_id", Message: "is already linked to another account"}}}
		}
	}
	return nil
}

// raced is the error for a unique violation that checkUnique did not see
// because another request wrote first.
func raced() error {
	return apperr.Conflictf("another change to this account happened at the same moment; try again")
}

func (s *Service) checkPerson(ctx context.Context, tx *gorm.DB, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return &apperr.Error{Code: apperr.Invalid, Message: "person_id is not a valid id",
			Fields: []apperr.FieldError{{Field: "person_id", Message: "is not a valid id"}}}
	}
	var n int64
	if err := tx.WithContext(ctx).Model(&personRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("look up person: %w", err)
	}
	if n == 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "person_id does not name a person",
			Fields: []apperr.FieldError{{Field: "person_id", Message: "no such person"}}}
	}
	return nil
}

func (s *Service) personByEmail(ctx context.Context, tx *gorm.DB, email string) string {
	var p personRow
	err := tx.WithContext(ctx).Where("email = ?", email).Limit(1).Find(&p).Error
	if err != nil || p.ID == "" {
		return ""
	}
	var n int64
	tx.WithContext(ctx).Model(&userRow{}).Where("person_id = ?", p.ID).Count(&n)
	if n > 0 {
		return ""
	}
	return p.ID
}

// UserPatch changes some of a user's fields.
type UserPatch struct {
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Active   *bool   `json:"active"`
	PersonID *string `json:"person_id"`
	Password *string `json:"password"`
}

// UnmarshalJSON reads a null person_id as "", which unlinks the person.
func (p *UserPatch) UnmarshalJSON(b []byte) error {
	type plain UserPatch
	return nullable.DecodeClearable(b, (*plain)(p), "person_id")
}

// UpdateUser changes a user. The last active admin cannot lose the role or
// be deactivated, so Debrief always has someone who can manage it.
func (s *Service) UpdateUser(ctx context.Context, a actor.Actor, id string, p UserPatch) (User, error) {
	if !a.IsAdmin() {
		return User{}, apperr.Forbiddenf("only admins can change users")
	}
	var f apperr.Fields
	if p.Name != nil {
		*p.Name = strings.TrimSpace(*p.Name)
		if *p.Name == "" || len([]rune(*p.Name)) > 200 {
			f.Add("name", "must be 1 to 200 characters")
		}
	}
	if p.Role != nil {
		if _, err := actor.ParseRole(*p.Role); err != nil {
			f.Add("role", "must be one of admin, facilitator, member, leader")
		}
	}
	if p.Password != nil {
		validatePassword(&f, "password", *p.Password)
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	var out User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		before := u
		if p.Name != nil {
			u.Name = *p.Name
		}
		if p.Role != nil {
			u.Role = *p.Role
		}
		if p.Active != nil {
			u.Active = *p.Active
		}
		if p.PersonID != nil {
			if *p.PersonID == "" {
				u.PersonID = nil
			} else {
				if err := s.checkPerson(ctx, tx, *p.PersonID); err != nil {
					return err
				}
				u.PersonID = p.PersonID
			}
		}
		if p.Password != nil {
			h, err := hashPassword(s.opts.Hash, *p.Password)
			if err != nil {
				return err
			}
			u.PasswordHash = h
		}
		if before.Role == string(actor.Admin) && before.Active && (u.Role != string(actor.Admin) || !u.Active) {
			var admins int64
			if err := tx.Model(&userRow{}).Where("role = ? AND active = ? AND id <> ?", "admin", true, u.ID).
				Count(&admins).Error; err != nil {
				return fmt.Errorf("count admins: %w", err)
			}
			if admins == 0 {
				return apperr.Conflictf("%s is the last active admin; make someone else an admin first", u.Name)
			}
		}
		u.UpdatedAt = s.now()
		if err := s.checkUnique(ctx, tx, u); err != nil {
			return err
		}
		if err := tx.Save(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return raced()
			}
			return fmt.Errorf("update user: %w", err)
		}
		if !u.Active || p.Password != nil {
			// A deactivated account or a reset password ends every open session.
			if err := tx.Where("user_id = ?", u.ID).Delete(&sessionRow{}).Error; err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		if before.Role != u.Role {
			if err := audit.Record(ctx, tx, a.UserID, "user.role_changed", "user", u.ID,
				map[string]string{"from": before.Role, "to": u.Role}); err != nil {
				return err
			}
		}
		if before.Active != u.Active {
			if err := audit.Record(ctx, tx, a.UserID, "user.active_changed", "user", u.ID,
				map[string]bool{"active": u.Active}); err != nil {
				return err
			}
		}
		out = u.user()
		return nil
	})
	return out, err
}

func (s *Service) userByID(ctx context.Context, tx *gorm.DB, id string) (userRow, error) {
	if _, err := uuid.Parse(id); err != nil {
		return userRow{}, apperr.NotFoundf("no such user")
	}
	var u userRow
	if err := tx.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&u).Error; err != nil {
		return userRow{}, fmt.Errorf("load user: %w", err)
	}
	if u.ID == "" {
		return userRow{}, apperr.NotFoundf("no such user")
	}
	return u, nil
}

// GetUser returns one user; admins may read anyone, others only themselves.
func (s *Service) GetUser(ctx context.Context, a actor.Actor, id string) (User, error) {
	if !a.IsAdmin() && a.UserID != id {
		return User{}, apperr.Forbiddenf("only admins can see other users")
	}
	u, err := s.userByID(ctx, s.db, id)
	if err != nil {
		return User{}, err
	}
	return u.user(), nil
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Q    string
	Role string
	Page pagination.Page
}

// ListUsers returns users ordered by email.
func (s *Service) ListUsers(ctx context.Context, a actor.Actor, f UserFilter) ([]User, string, error) {
	if !a.IsAdmin() {
		return nil, "", apperr.Forbiddenf("only admins can list users")
	}
	page, err := f.Page.Normalize()
	if err != nil {
		return nil, "", err
	}
	q := s.db.WithContext(ctx).Model(&userRow{})
	if f.Q != "" {
		like := "%" + strings.ToLower(strings.TrimSpace(f.Q)) + "%"
		q = q.Where("LOWER(name) LIKE ? OR email LIKE ?", like, like)
	}
	if f.Role != "" {
		if _, err := actor.ParseRole(f.Role); err != nil {
			return nil, "", &apperr.Error{Code: apperr.Invalid, Message: err.Error(),
				Fields: []apperr.FieldError{{Field: "role", Message: "unknown role"}}}
		}
		q = q.Where("role = ?", f.Role)
	}
	if page.Cursor != "" {
		key, err := pagination.Decode(page.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		q = q.Where("email > ?", key[0])
	}
	var rows []userRow
	if err := q.Order("email").Limit(page.Limit + 1).Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("list users: %w", err)
	}
	next := ""
	if len(rows) > page.Limit {
		rows = rows[:page.Limit]
		next = pagination.Encode(rows[len(rows)-1].Email)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, next, nil
}

// UserByEmail finds an account for the CLI.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	var u userRow
	if err := s.db.WithContext(ctx).Where("email = ?", normalizeEmail(email)).Limit(1).Find(&u).Error; err != nil {
		return User{}, fmt.Errorf("load user: %w", err)
	}
	if u.ID == "" {
		return User{}, apperr.NotFoundf("no user with email %s", normalizeEmail(email))
	}
	return u.user(), nil
}

// CountUsers reports how many accounts exist.
func (s *Service) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&userRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func (s *Service) upsertSetting(tx *gorm.DB, key, value string) error {
	row := settingRow{Key: key, Value: value, UpdatedAt: s.now()}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).Create(&row).Error
}

package calconn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Keys in app_settings. Every serve process reads the same rows, so a
// connection made through one process is used by all of them.
const (
	connectionKey = "google.connection"
	lastTestKey   = "google.last_test"
	// statePrefix + hex(sha256(state)) holds a pending OAuth consent.
	// No LIKE wildcard (_ or %) in the prefix.
	statePrefix = "google.oauth-state."
)

// Connection kinds.
const (
	KindServiceAccount = "service_account"
	KindOAuth          = "oauth"
)

// Sources of the connection in use.
const (
	SourceNone        = "none"
	SourceEnvironment = "environment"
	SourceSettings    = "settings"
)

// envConnectionID names the connection from the environment, for the
// last test's record.
const envConnectionID = "environment"

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "app_settings" }

// record is a stored connection. Secrets are sealed (Box) and bound to
// the record's id; everything else may be shown to admins.
type record struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Organizer  string `json:"organizer"`
	Conference string `json:"conference,omitempty"`
	// Service account: its address and numeric client id (what an admin
	// grants domain-wide delegation to) and the sealed key file.
	ServiceAccountEmail    string `json:"service_account_email,omitempty"`
	ServiceAccountClientID string `json:"service_account_client_id,omitempty"`
	SealedKey              string `json:"sealed_key,omitempty"`
	// OAuth: the client the consent was given to and the sealed refresh
	// token. The client secret stays in the configuration.
	OAuthClientID      string    `json:"oauth_client_id,omitempty"`
	SealedRefreshToken string    `json:"sealed_refresh_token,omitempty"`
	Scope              string    `json:"scope,omitempty"`
	ConnectedByID      string    `json:"connected_by_id,omitempty"`
	ConnectedByEmail   string    `json:"connected_by_email,omitempty"`
	ConnectedAt        time.Time `json:"connected_at"`
}

func keyPurpose(id string) string     { return connectionKey + "/" + id + "/service_account_key" }
func refreshPurpose(id string) string { return connectionKey + "/" + id + "/refresh_token" }
func verifierPurpose(key string) string {
	return key + "/pkce_verifier"
}

// lastTest is the stored result of the last "test connection", for the
// connection it was run on.
type lastTest struct {
	ConnectionID string     `json:"connection_id"`
	Result       TestResult `json:"result"`
}

// pendingConsent is an OAuth consent in progress, stored under the hash
// of its state so a database reader cannot finish it.
type pendingConsent struct {
	UserID         string    `json:"user_id"`
	RedirectURL    string    `json:"redirect_url"`
	Conference     string    `json:"conference,omitempty"`
	SealedVerifier string    `json:"sealed_verifier"`
	ExpiresAt      time.Time `json:"expires_at"`
}

type store struct {
	db *gorm.DB
}

// get reads key into v; found is false when there is no such row.
func (st store) get(ctx context.Context, db *gorm.DB, key string, v any) (found bool, raw string, err error) {
	var r settingRow
	err = db.WithContext(ctx).Where("key = ?", key).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, "", nil
	}
	if err != nil {
		return false, "", fmt.Errorf("calconn: read %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(r.Value), v); err != nil {
		return false, "", fmt.Errorf("calconn: decode %s: %w", key, err)
	}
	return true, r.Value, nil
}

func (st store) put(ctx context.Context, db *gorm.DB, key string, v any, now time.Time) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("calconn: encode %s: %w", key, err)
	}
	r := settingRow{Key: key, Value: string(b), UpdatedAt: now.UTC()}
	err = db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).Create(&r).Error
	if err != nil {
		return fmt.Errorf("calconn: save %s: %w", key, err)
	}
	return nil
}

// del deletes key and reports whether a row was there: of two callers
// deleting the same key, only one sees true.
func (st store) del(ctx context.Context, db *gorm.DB, key string) (bool, error) {
	res := db.WithContext(ctx).Where("key = ?", key).Delete(&settingRow{})
	if res.Error != nil {
		return false, fmt.Errorf("calconn: delete %s: %w", key, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// sweepStates deletes pending consents that have expired.
func (st store) sweepStates(ctx context.Context, now time.Time) error {
	var rows []settingRow
	if err := st.db.WithContext(ctx).Where("key LIKE ?", statePrefix+"%").Find(&rows).Error; err != nil {
		return fmt.Errorf("calconn: list pending consents: %w", err)
	}
	for _, r := range rows {
		var p pendingConsent
		if json.Unmarshal([]byte(r.Value), &p) == nil && now.Before(p.ExpiresAt) && strings.HasPrefix(r.Key, statePrefix) {
			continue
		}
		if _, err := st.del(ctx, st.db, r.Key); err != nil {
			return err
		}
	}
	return nil
}

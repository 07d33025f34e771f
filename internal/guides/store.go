package guides

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// Rows mirror the migrated tables. Automatic timestamps are off because the
// service sets them from its own clock, which tests control.

type guideRow struct {
	ID                string `gorm:"primaryKey"`
	Slug              string
	Title             string
	Kind              string
	Description       string
	Builtin           bool
	AddOn             bool
	CurrentVersion    int
	CopiedFromID      *string
	CopiedFromVersion *int
	Archived          bool
	CreatedBy         *string
	CreatedAt         time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"`
}

func (guideRow) TableName() string { return "guides" }

// versionRow is one immutable version. The database refuses updates to
// everything but created_by (which a deleted user sets to NULL) and refuses
// deletes, so "never changed in place" does not rest on this code alone.
type versionRow struct {
	GuideID     string `gorm:"primaryKey"`
	Version     int    `gorm:"primaryKey;autoIncrement:false"`
	Title       string
	Description string
	Content     string
	ContentHash string
	Note        string
	CreatedBy   *string
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
}

func (versionRow) TableName() string { return "guide_versions" }

func (r versionRow) decode() (Content, error) {
	var c Content
	if err := json.Unmarshal([]byte(r.Content), &c); err != nil {
		return Content{}, fmt.Errorf("decode guide %s version %d: %w", r.GuideID, r.Version, err)
	}
	return c, nil
}

func (r versionRow) toVersion(kind Kind) (GuideVersion, error) {
	c, err := r.decode()
	if err != nil {
		return GuideVersion{}, err
	}
	return GuideVersion{
		GuideID: r.GuideID, Version: r.Version, Title: r.Title, Kind: kind, Description: r.Description,
		Content: c, Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
	}, nil
}

func (r guideRow) toGuide(current Content) Guide {
	g := Guide{
		ID: r.ID, Slug: r.Slug, Title: r.Title, Kind: Kind(r.Kind), Description: r.Description,
		Builtin: r.Builtin, AddOn: r.AddOn, Archived: r.Archived, CurrentVersion: r.CurrentVersion,
		QuestionCount: len(current.Questions), SuggestedMinutes: current.SuggestedMinutes,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.CopiedFromID != nil && r.CopiedFromVersion != nil {
		g.CopiedFrom = &VersionRef{GuideID: *r.CopiedFromID, Version: *r.CopiedFromVersion}
	}
	return g
}

// encodeContent is the stored form of a version's content. Its hash covers
// everything a version says, so identical saves and unchanged built-in
// files can be recognised.
func encodeContent(title, description string, kind Kind, c Content) (body, hash string, err error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", "", fmt.Errorf("encode guide content: %w", err)
	}
	h := sha256.New()
	// Length-prefixing keeps "ab"+"c" and "a"+"bc" apart.
	for _, part := range []string{title, description, string(kind), string(b)} {
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return string(b), hex.EncodeToString(h.Sum(nil)), nil
}

// isSlug reports whether s is lower-case words of letters and digits joined
// by single hyphens, like "responder-chat".
func isSlug(s string) bool {
	if s == "" || len(s) > 80 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

func notFoundGuide(ref string) error {
	return apperr.NotFoundf("no guide %q", ref)
}

// findGuide loads a guide by id or, for readable links to built-ins such as
// /guides/responder-chat, by slug.
func findGuide(ctx context.Context, db *gorm.DB, ref string) (guideRow, error) {
	ref = strings.TrimSpace(ref)
	q := db.WithContext(ctx)
	if id, ok := idgen.Canonical(ref); ok {
		q = q.Where("id = ?", id)
	} else if isSlug(ref) {
		q = q.Where("slug = ?", ref)
	} else {
		return guideRow{}, notFoundGuide(ref)
	}
	var rows []guideRow
	if err := q.Limit(1).Find(&rows).Error; err != nil {
		return guideRow{}, fmt.Errorf("load guide %s: %w", ref, err)
	}
	if len(rows) == 0 {
		return guideRow{}, notFoundGuide(ref)
	}
	return rows[0], nil
}

func findVersion(ctx context.Context, db *gorm.DB, g guideRow, version int) (versionRow, error) {
	if version == 0 {
		version = g.CurrentVersion
	}
	var rows []versionRow
	err := db.WithContext(ctx).Where("guide_id = ? AND version = ?", g.ID, version).Limit(1).Find(&rows).Error
	if err != nil {
		return versionRow{}, fmt.Errorf("load guide %s version %d: %w", g.ID, version, err)
	}
	if len(rows) == 0 {
		return versionRow{}, apperr.NotFoundf("guide %q has no version %d; its versions are 1 to %d",
			g.Title, version, g.CurrentVersion)
	}
	return rows[0], nil
}

// currentContents loads the current version of each guide with one query.
func currentContents(ctx context.Context, db *gorm.DB, rows []guideRow) (map[string]Content, error) {
	out := make(map[string]Content, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	conds := make([]string, len(rows))
	args := make([]any, 0, 2*len(rows))
	for i, r := range rows {
		conds[i] = "(guide_id = ? AND version = ?)"
		args = append(args, r.ID, r.CurrentVersion)
	}
	var vs []versionRow
	if err := db.WithContext(ctx).Where(strings.Join(conds, " OR "), args...).Find(&vs).Error; err != nil {
		return nil, fmt.Errorf("load current guide versions: %w", err)
	}
	for _, v := range vs {
		c, err := v.decode()
		if err != nil {
			return nil, err
		}
		out[v.GuideID] = c
	}
	return out, nil
}

// insertVersion stores version v of guide g. A concurrent save that took the
// same number makes the primary key refuse this one; that surfaces as a
// conflict rather than a lost version.
func insertVersion(ctx context.Context, tx *gorm.DB, row versionRow) error {
	if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return apperr.Conflictf("someone else saved this guide at the same moment; reload it and try again")
		}
		return fmt.Errorf("insert guide version: %w", err)
	}
	return nil
}

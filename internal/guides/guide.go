package guides

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/idgen"
	"github.com/debrief-dev/debrief/internal/pagination"
)

// List returns one page of guides: built-ins first, then by title.
// Archived guides are left out unless the filter asks for them.
func (s *Service) List(ctx context.Context, a actor.Actor, flt ListFilter, page pagination.Page) (GuideList, error) {
	if err := canRead(a); err != nil {
		return GuideList{}, err
	}
	page, err := page.Normalize()
	if err != nil {
		return GuideList{}, err
	}
	var f apperr.Fields
	q := s.db.WithContext(ctx).Model(&guideRow{})
	if flt.Kind != "" {
		checkKind(&f, "kind", flt.Kind)
		q = q.Where("kind = ?", string(flt.Kind))
	}
	if b, ok := parseBoolFilter(&f, "builtin", flt.Builtin); ok {
		q = q.Where("builtin = ?", b)
	}
	if b, ok := parseBoolFilter(&f, "add_on", flt.AddOn); ok {
		q = q.Where("add_on = ?", b)
	}
	switch flt.Archived {
	case "", ArchivedExclude:
		q = q.Where("archived = ?", false)
	case ArchivedOnly:
		q = q.Where("archived = ?", true)
	case ArchivedAll:
	default:
		f.Add("archived", "must be true, false or all")
	}
	if text := strings.TrimSpace(flt.Q); text != "" {
		checkLen(&f, "q", text, 1, maxQueryChars)
		pat := "%" + database.EscapeLike(strings.ToLower(text)) + "%"
		q = q.Where(`(LOWER(title) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\')`, pat, pat)
	}
	// Built-ins sort first; rank is that order as a number both dialects
	// compare the same way.
	const rank = "(CASE WHEN builtin THEN 0 ELSE 1 END)"
	if page.Cursor != "" {
		key, err := pagination.Decode(page.Cursor, 3)
		if err != nil {
			return GuideList{}, err
		}
		r, errR := strconv.Atoi(key[0])
		id, okID := idgen.Canonical(key[2])
		if errR != nil || !okID {
			return GuideList{}, &apperr.Error{Code: apperr.Invalid, Message: "cursor is not one this server issued",
				Fields: []apperr.FieldError{{Field: "cursor", Message: "malformed cursor"}}}
		}
		q = q.Where("("+rank+", LOWER(title), id) > (?, ?, ?)", r, key[1], id)
	}
	if err := f.Err(); err != nil {
		return GuideList{}, err
	}
	var rows []guideRow
	if err := q.Order(rank + ", LOWER(title), id").Limit(page.Limit + 1).Find(&rows).Error; err != nil {
		return GuideList{}, fmt.Errorf("list guides: %w", err)
	}
	var next string
	if len(rows) > page.Limit {
		rows = rows[:page.Limit]
		last := rows[len(rows)-1]
		r := "1"
		if last.Builtin {
			r = "0"
		}
		// The title key is read back from the database so the cursor
		// compares with the database's own LOWER, not Go's.
		var lowered string
		if err := s.db.WithContext(ctx).Model(&guideRow{}).Select("LOWER(title)").
			Where("id = ?", last.ID).Scan(&lowered).Error; err != nil {
			return GuideList{}, fmt.Errorf("list guides: %w", err)
		}
		next = pagination.Encode(r, lowered, last.ID)
	}
	contents, err := currentContents(ctx, s.db, rows)
	if err != nil {
		return GuideList{}, err
	}
	items := make([]Guide, len(rows))
	for i, r := range rows {
		items[i] = r.toGuide(contents[r.ID])
	}
	return GuideList{Items: items, NextCursor: next}, nil
}

func parseBoolFilter(f *apperr.Fields, field, v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return false, false
	case "true":
		return true, true
	case "false":
		return false, true
	}
	f.Add(field, "must be true or false")
	return false, false
}

// Get returns a guide, by id or slug, with its current content.
func (s *Service) Get(ctx context.Context, a actor.Actor, ref string) (GuideDetail, error) {
	if err := canRead(a); err != nil {
		return GuideDetail{}, err
	}
	return s.detail(ctx, s.db, ref)
}

func (s *Service) detail(ctx context.Context, db *gorm.DB, ref string) (GuideDetail, error) {
	g, err := findGuide(ctx, db, ref)
	if err != nil {
		return GuideDetail{}, err
	}
	v, err := findVersion(ctx, db, g, 0)
	if err != nil {
		return GuideDetail{}, err
	}
	c, err := v.decode()
	if err != nil {
		return GuideDetail{}, err
	}
	return GuideDetail{Guide: g.toGuide(c), Content: c}, nil
}

// newGuide is what Create, Copy and Import have in common: a custom guide
// at version 1.
type newGuide struct {
	title, description, note string
	kind                     Kind
	content                  Content
	copiedFrom               *VersionRef
	auditAction              string
}

func (s *Service) insertGuide(ctx context.Context, a actor.Actor, n newGuide) (GuideDetail, error) {
	id := idgen.New()
	slug, err := customSlug(n.title)
	if err != nil {
		return GuideDetail{}, err
	}
	body, hash, err := encodeContent(n.title, n.description, n.kind, n.content)
	if err != nil {
		return GuideDetail{}, err
	}
	now := s.clock()
	row := guideRow{
		ID: id, Slug: slug, Title: n.title, Kind: string(n.kind), Description: n.description,
		AddOn: n.kind.IsAddOn(), CurrentVersion: 1, CreatedAt: now, UpdatedAt: now,
	}
	if a.UserID != "" {
		row.CreatedBy = &a.UserID
	}
	if n.copiedFrom != nil {
		row.CopiedFromID, row.CopiedFromVersion = &n.copiedFrom.GuideID, &n.copiedFrom.Version
	}
	var out GuideDetail
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Conflictf("could not give the guide a unique address; try again")
			}
			return fmt.Errorf("insert guide: %w", err)
		}
		if err := insertVersion(ctx, tx, versionRow{
			GuideID: id, Version: 1, Title: n.title, Description: n.description, Content: body,
			ContentHash: hash, Note: n.note, CreatedBy: row.CreatedBy, CreatedAt: now,
		}); err != nil {
			return err
		}
		detail := map[string]any{"title": n.title, "kind": string(n.kind), "version": 1}
		if n.copiedFrom != nil {
			detail["from_guide_id"], detail["from_version"] = n.copiedFrom.GuideID, n.copiedFrom.Version
		}
		if err := audit.Record(ctx, tx, a.UserID, n.auditAction, auditSubject, id, detail); err != nil {
			return err
		}
		d, err := s.detail(ctx, tx, id)
		out = d
		return err
	})
	if err := txErr(err, "create guide"); err != nil {
		return GuideDetail{}, err
	}
	return out, nil
}

// Create adds a custom guide at version 1.
func (s *Service) Create(ctx context.Context, a actor.Actor, in GuideInput) (GuideDetail, error) {
	if err := canWrite(a); err != nil {
		return GuideDetail{}, err
	}
	var f apperr.Fields
	title, description, note := cleanMeta(&f, in.Title, in.Description, in.Note)
	checkKind(&f, "kind", in.Kind)
	content, err := cleanContent(&f, "content.", in.Content)
	if err != nil {
		return GuideDetail{}, err
	}
	if err := f.Err(); err != nil {
		return GuideDetail{}, err
	}
	return s.insertGuide(ctx, a, newGuide{title: title, description: description, note: note,
		kind: in.Kind, content: content, auditAction: AuditCreated})
}

// Copy makes a custom guide from a version of any guide (built-in or not,
// archived or not). The copy keeps the question ids, so a diff or a note
// can still relate its questions to the original's.
func (s *Service) Copy(ctx context.Context, a actor.Actor, ref string, in CopyInput) (GuideDetail, error) {
	if err := canWrite(a); err != nil {
		return GuideDetail{}, err
	}
	g, err := findGuide(ctx, s.db, ref)
	if err != nil {
		return GuideDetail{}, err
	}
	if in.Version < 0 {
		return GuideDetail{}, &apperr.Error{Code: apperr.Invalid, Message: "version must be 1 or more",
			Fields: []apperr.FieldError{{Field: "version", Message: "must be 1 or more"}}}
	}
	v, err := findVersion(ctx, s.db, g, in.Version)
	if err != nil {
		return GuideDetail{}, err
	}
	content, err := v.decode()
	if err != nil {
		return GuideDetail{}, err
	}
	var f apperr.Fields
	title := in.Title
	if strings.TrimSpace(title) == "" {
		title = "Copy of " + v.Title
		if runes(title) > maxTitle {
			title = string([]rune(title)[:maxTitle])
		}
	}
	title, description, note := cleanMeta(&f, title, v.Description,
		fmt.Sprintf("Copied from %s, version %d", v.Title, v.Version))
	if err := f.Err(); err != nil {
		return GuideDetail{}, err
	}
	return s.insertGuide(ctx, a, newGuide{title: title, description: description, note: note,
		kind: Kind(g.Kind), content: content, copiedFrom: &VersionRef{GuideID: g.ID, Version: v.Version},
		auditAction: AuditCopied})
}

// Save stores a new version of a custom guide and makes it current. Every
// save that changes anything creates a version; earlier versions are never
// touched, so a chat that used one keeps exactly what it used. A save that
// changes nothing returns the guide as it is instead of adding a duplicate
// version.
func (s *Service) Save(ctx context.Context, a actor.Actor, ref string, in SaveInput) (GuideDetail, error) {
	if err := canWrite(a); err != nil {
		return GuideDetail{}, err
	}
	var f apperr.Fields
	title, description, note := cleanMeta(&f, in.Title, in.Description, in.Note)
	content, err := cleanContent(&f, "content.", in.Content)
	if err != nil {
		return GuideDetail{}, err
	}
	if in.BaseVersion < 0 {
		f.Add("base_version", "must be 1 or more")
	}
	var out GuideDetail
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		g, err := findGuide(ctx, tx, ref)
		if err != nil {
			return err
		}
		if g.Builtin {
			return apperr.Conflictf("%s", builtinReadOnlyError)
		}
		if g.Archived {
			return apperr.Conflictf("this guide is archived; unarchive it before editing")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if in.BaseVersion > 0 && in.BaseVersion != g.CurrentVersion {
			return &apperr.Error{Code: apperr.Conflict,
				Message: fmt.Sprintf("this edit started from version %d, but version %d has been saved since; reload the guide and reapply the change",
					in.BaseVersion, g.CurrentVersion),
				Fields: []apperr.FieldError{{Field: "base_version", Message: fmt.Sprintf("the current version is %d", g.CurrentVersion)}}}
		}
		body, hash, err := encodeContent(title, description, Kind(g.Kind), content)
		if err != nil {
			return err
		}
		cur, err := findVersion(ctx, tx, g, 0)
		if err != nil {
			return err
		}
		if cur.ContentHash == hash {
			d, err := s.detail(ctx, tx, g.ID)
			out = d
			return err
		}
		next := g.CurrentVersion + 1
		now := s.clock()
		v := versionRow{GuideID: g.ID, Version: next, Title: title, Description: description, Content: body,
			ContentHash: hash, Note: note, CreatedAt: now}
		if a.UserID != "" {
			v.CreatedBy = &a.UserID
		}
		if err := insertVersion(ctx, tx, v); err != nil {
			return err
		}
		// Matching on the version read above turns a concurrent save into
		// a conflict instead of a skipped version number.
		res := tx.Model(&guideRow{}).Where("id = ? AND current_version = ?", g.ID, g.CurrentVersion).
			Updates(map[string]any{"current_version": next, "title": title, "description": description, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("update guide: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Conflictf("someone else saved this guide at the same moment; reload it and try again")
		}
		if err := audit.Record(ctx, tx, a.UserID, AuditVersionSaved, auditSubject, g.ID,
			map[string]any{"version": next, "note": note}); err != nil {
			return err
		}
		d, err := s.detail(ctx, tx, g.ID)
		out = d
		return err
	})
	if err := txErr(err, "save guide"); err != nil {
		return GuideDetail{}, err
	}
	return out, nil
}

// SetArchived archives or unarchives a custom guide. Archived guides leave
// the default list and cannot be edited, but stay readable and renderable
// so chats that used them keep working.
func (s *Service) SetArchived(ctx context.Context, a actor.Actor, ref string, archived bool) (GuideDetail, error) {
	if err := canWrite(a); err != nil {
		return GuideDetail{}, err
	}
	var out GuideDetail
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		g, err := findGuide(ctx, tx, ref)
		if err != nil {
			return err
		}
		if g.Builtin {
			return apperr.Conflictf("built-in guides cannot be archived; they are read-only and ship with Debrief")
		}
		if g.Archived != archived {
			if err := tx.Model(&guideRow{}).Where("id = ?", g.ID).
				Updates(map[string]any{"archived": archived, "updated_at": s.clock()}).Error; err != nil {
				return fmt.Errorf("archive guide: %w", err)
			}
			action := AuditArchived
			if !archived {
				action = AuditUnarchived
			}
			if err := audit.Record(ctx, tx, a.UserID, action, auditSubject, g.ID, nil); err != nil {
				return err
			}
		}
		d, err := s.detail(ctx, tx, g.ID)
		out = d
		return err
	})
	if err := txErr(err, "archive guide"); err != nil {
		return GuideDetail{}, err
	}
	return out, nil
}

// Versions lists a guide's versions, newest first.
func (s *Service) Versions(ctx context.Context, a actor.Actor, ref string) ([]VersionSummary, error) {
	if err := canRead(a); err != nil {
		return nil, err
	}
	g, err := findGuide(ctx, s.db, ref)
	if err != nil {
		return nil, err
	}
	var rows []versionRow
	if err := s.db.WithContext(ctx).Where("guide_id = ?", g.ID).Order("version DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list guide versions: %w", err)
	}
	out := make([]VersionSummary, len(rows))
	for i, r := range rows {
		c, err := r.decode()
		if err != nil {
			return nil, err
		}
		out[i] = VersionSummary{Version: r.Version, Title: r.Title, Note: r.Note, QuestionCount: len(c.Questions),
			SuggestedMinutes: c.SuggestedMinutes, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// GetVersion returns one version exactly as it was saved. Chats pin
// (guide id, version) and read their guide back through this.
func (s *Service) GetVersion(ctx context.Context, a actor.Actor, ref string, version int) (GuideVersion, error) {
	if err := canRead(a); err != nil {
		return GuideVersion{}, err
	}
	if version < 1 {
		return GuideVersion{}, &apperr.Error{Code: apperr.Invalid, Message: "version must be 1 or more",
			Fields: []apperr.FieldError{{Field: "version", Message: "must be 1 or more"}}}
	}
	g, err := findGuide(ctx, s.db, ref)
	if err != nil {
		return GuideVersion{}, err
	}
	v, err := findVersion(ctx, s.db, g, version)
	if err != nil {
		return GuideVersion{}, err
	}
	return v.toVersion(Kind(g.Kind))
}

// Diff compares two versions of a guide. from and to default to the
// version before the current one and the current one.
func (s *Service) Diff(ctx context.Context, a actor.Actor, ref string, from, to int) (Diff, error) {
	if err := canRead(a); err != nil {
		return Diff{}, err
	}
	g, err := findGuide(ctx, s.db, ref)
	if err != nil {
		return Diff{}, err
	}
	if to == 0 {
		to = g.CurrentVersion
	}
	if from == 0 {
		from = max(to-1, 1)
	}
	var f apperr.Fields
	if from < 1 || from > g.CurrentVersion {
		f.Add("from", "must be a version between 1 and %d", g.CurrentVersion)
	}
	if to < 1 || to > g.CurrentVersion {
		f.Add("to", "must be a version between 1 and %d", g.CurrentVersion)
	}
	if err := f.Err(); err != nil {
		return Diff{}, err
	}
	vFrom, err := findVersion(ctx, s.db, g, from)
	if err != nil {
		return Diff{}, err
	}
	vTo, err := findVersion(ctx, s.db, g, to)
	if err != nil {
		return Diff{}, err
	}
	a1, err := vFrom.toVersion(Kind(g.Kind))
	if err != nil {
		return Diff{}, err
	}
	a2, err := vTo.toVersion(Kind(g.Kind))
	if err != nil {
		return Diff{}, err
	}
	return diffVersions(a1, a2), nil
}

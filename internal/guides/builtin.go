package guides

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// builtinGuide is one shipped guide, parsed and validated.
type builtinGuide struct {
	slug, title, description string
	kind                     Kind
	content                  Content
}

// loadBuiltins reads and validates every builtin/*.json. A broken file is a
// bug in this release, so it is reported with its name rather than skipped.
func loadBuiltins(fsys fs.FS) ([]builtinGuide, error) {
	names, err := fs.Glob(fsys, "builtin/*.json")
	if err != nil {
		return nil, fmt.Errorf("list built-in guides: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("no built-in guides found")
	}
	slices.Sort(names)
	out := make([]builtinGuide, 0, len(names))
	for _, name := range names {
		slug := strings.TrimSuffix(path.Base(name), ".json")
		if !isSlug(slug) {
			return nil, fmt.Errorf("built-in guide %s: file name is not a slug", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read built-in guide %s: %w", name, err)
		}
		title, description, kind, content, err := parseDocumentJSON(b)
		if err != nil {
			return nil, fmt.Errorf("built-in guide %s: %w", name, describe(err))
		}
		out = append(out, builtinGuide{slug: slug, title: title, description: description, kind: kind, content: content})
	}
	return out, nil
}

// describe spells out field errors, which a plain Error() summarises.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) < 2 {
		return err
	}
	parts := make([]string, len(e.Fields))
	for i, fe := range e.Fields {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return errors.New(strings.Join(parts, "; "))
}

// EnsureBuiltins installs the built-in guides and brings them up to date.
// It is idempotent and safe to run from several processes at once: an
// unchanged file does nothing, a changed file adds a new version (earlier
// versions stay exactly as they were), and a built-in no longer shipped is
// archived rather than deleted, since chats may still refer to it.
func (s *Service) EnsureBuiltins(ctx context.Context) error {
	list, err := loadBuiltins(s.builtins)
	if err != nil {
		return err
	}
	for _, b := range list {
		// Another process may install the same guide at the same moment; the
		// loser of that race sees a duplicate key and simply re-reads.
		for attempt := 0; ; attempt++ {
			err := s.ensureBuiltin(ctx, b)
			if err == nil {
				break
			}
			if attempt < 3 && (errors.Is(err, gorm.ErrDuplicatedKey) || apperr.CodeOf(err) == apperr.Conflict) {
				continue
			}
			return fmt.Errorf("install built-in guide %s: %w", b.slug, err)
		}
	}
	return s.retireBuiltins(ctx, list)
}

func (s *Service) ensureBuiltin(ctx context.Context, b builtinGuide) error {
	body, hash, err := encodeContent(b.title, b.description, b.kind, b.content)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []guideRow
		if err := tx.Where("slug = ?", b.slug).Limit(1).Find(&rows).Error; err != nil {
			return fmt.Errorf("look up built-in guide: %w", err)
		}
		now := s.clock()
		if len(rows) == 0 {
			id := idgen.New()
			g := guideRow{ID: id, Slug: b.slug, Title: b.title, Kind: string(b.kind), Description: b.description,
				Builtin: true, AddOn: b.kind.IsAddOn(), CurrentVersion: 1, CreatedAt: now, UpdatedAt: now}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&g)
			if res.Error != nil {
				return fmt.Errorf("insert built-in guide: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return gorm.ErrDuplicatedKey // installed concurrently; retry reads it
			}
			if err := tx.Create(&versionRow{GuideID: id, Version: 1, Title: b.title, Description: b.description,
				Content: body, ContentHash: hash, Note: "Shipped with Debrief", CreatedAt: now}).Error; err != nil {
				return fmt.Errorf("insert built-in guide version: %w", err)
			}
			return audit.Record(ctx, tx, "", AuditBuiltinInstall, auditSubject, id, map[string]any{"slug": b.slug})
		}
		g := rows[0]
		if !g.Builtin {
			return fmt.Errorf("the slug %q belongs to a custom guide", b.slug)
		}
		cur, err := findVersion(ctx, tx, g, 0)
		if err != nil {
			return err
		}
		if cur.ContentHash == hash && !g.Archived {
			return nil
		}
		set := map[string]any{"archived": false, "updated_at": now}
		next := g.CurrentVersion
		if cur.ContentHash != hash {
			next++
			if err := insertVersion(ctx, tx, versionRow{GuideID: g.ID, Version: next, Title: b.title,
				Description: b.description, Content: body, ContentHash: hash,
				Note: "Updated with a new release of Debrief", CreatedAt: now}); err != nil {
				return err
			}
			set["current_version"], set["title"], set["description"] = next, b.title, b.description
			set["kind"], set["add_on"] = string(b.kind), b.kind.IsAddOn()
		}
		res := tx.Model(&guideRow{}).Where("id = ? AND current_version = ?", g.ID, g.CurrentVersion).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("update built-in guide: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Conflictf("built-in guide %s changed concurrently", b.slug)
		}
		return audit.Record(ctx, tx, "", AuditBuiltinUpdate, auditSubject, g.ID,
			map[string]any{"slug": b.slug, "version": next})
	})
}

// retireBuiltins archives built-ins whose file is gone from this release.
func (s *Service) retireBuiltins(ctx context.Context, shipped []builtinGuide) error {
	slugs := make([]string, len(shipped))
	for i, b := range shipped {
		slugs[i] = b.slug
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var gone []guideRow
		if err := tx.Where("builtin = ? AND archived = ? AND slug NOT IN ?", true, false, slugs).
			Find(&gone).Error; err != nil {
			return fmt.Errorf("find retired built-in guides: %w", err)
		}
		for _, g := range gone {
			if err := tx.Model(&guideRow{}).Where("id = ?", g.ID).
				Updates(map[string]any{"archived": true, "updated_at": s.clock()}).Error; err != nil {
				return fmt.Errorf("archive retired built-in guide: %w", err)
			}
			if err := audit.Record(ctx, tx, "", AuditBuiltinRetired, auditSubject, g.ID,
				map[string]any{"slug": g.Slug}); err != nil {
				return err
			}
		}
		return nil
	})
}

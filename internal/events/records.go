package events

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/idgen"
)

func toEntry(t timelineRow, people map[string]personRow) TimelineEntry {
	e := TimelineEntry{
		ID: t.ID, OccurredAt: utc(t.OccurredAt), Actor: t.Actor, Body: t.Body,
		Kind: TimelineKind(t.Kind), SourceURL: t.SourceURL,
		CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt),
	}
	if t.PersonID != nil {
		if p, ok := people[*t.PersonID]; ok {
			ref := p.ref()
			e.Person = &ref
		}
	}
	return e
}

func toInvolvement(r involvementRow, people map[string]personRow) Involvement {
	// person_id is NOT NULL with ON DELETE RESTRICT, so the person is there;
	// the id alone is still better than an empty ref if a read raced a change.
	p, ok := people[r.PersonID]
	if !ok {
		p = personRow{ID: r.PersonID}
	}
	return Involvement{ID: r.ID, Person: p.ref(), Role: Role(r.Role), Note: r.Note, CreatedAt: utc(r.CreatedAt)}
}

func toReference(r referenceRow) Reference {
	return Reference{ID: r.ID, URL: r.URL, Label: r.Label, Kind: ReferenceKind(r.Kind), CreatedAt: utc(r.CreatedAt)}
}

// write runs fn in a transaction after checking the caller may change the
// event. Everything inside must use tx: SQLite has a single connection, so
// touching the outer handle would wait for this transaction forever.
func (s *Service) write(ctx context.Context, a actor.Actor, eventID string, fn func(tx *gorm.DB, ev eventRow) error) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := s.access(ctx, tx, a, eventID, true)
		if err != nil {
			return err
		}
		if err := fn(tx, ev); err != nil {
			return err
		}
		// Any change to what is recorded on an event counts as a change to it.
		if err := tx.Model(&eventRow{}).Where("id = ?", ev.ID).Update("updated_at", s.clock()).Error; err != nil {
			return fmt.Errorf("touch event: %w", err)
		}
		return nil
	})
	return txErr(err, "change event records")
}

// ---- Timeline ----

// Timeline returns an event's timeline in time order.
func (s *Service) Timeline(ctx context.Context, a actor.Actor, eventID string) ([]TimelineEntry, error) {
	ev, err := s.access(ctx, s.db, a, eventID, false)
	if err != nil {
		return nil, err
	}
	var rows []timelineRow
	err = s.db.WithContext(ctx).Where("event_id = ?", ev.ID).Order("occurred_at, created_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load timeline: %w", err)
	}
	var pids []string
	for _, r := range rows {
		if r.PersonID != nil {
			pids = append(pids, *r.PersonID)
		}
	}
	people, err := loadPeople(ctx, s.db, pids)
	if err != nil {
		return nil, err
	}
	out := make([]TimelineEntry, len(rows))
	for i, r := range rows {
		out[i] = toEntry(r, people)
	}
	return out, nil
}

// checkEntry validates a timeline row as it would be stored.
func checkEntry(f *apperr.Fields, r *timelineRow) {
	if r.PersonID != nil && r.Actor != "" {
		f.Add("actor", "leave actor empty when person_id names someone")
	}
	checkLen(f, "actor", r.Actor, 0, maxActor)
	checkLen(f, "body", r.Body, 1, maxBody)
	checkEnum(f, "kind", TimelineKind(r.Kind), TimelineKinds())
	if r.SourceURL != "" {
		checkURL(f, "source_url", r.SourceURL)
	}
}

// AddTimelineEntry records a moment on the event's timeline.
func (s *Service) AddTimelineEntry(ctx context.Context, a actor.Actor, eventID string, in TimelineEntryInput) (TimelineEntry, error) {
	var out TimelineEntry
	err := s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		var f apperr.Fields
		occurred, _ := parseTime(&f, "occurred_at", in.OccurredAt, true)
		person, err := lookupPerson(ctx, tx, &f, "person_id", in.PersonID, false)
		if err != nil {
			return err
		}
		id := idgen.New()
		now := s.clock()
		row := timelineRow{
			ID: id, EventID: ev.ID, OccurredAt: occurred,
			Actor: strings.TrimSpace(in.Actor), Body: strings.TrimSpace(in.Body),
			Kind: string(in.Kind), SourceURL: strings.TrimSpace(in.SourceURL),
			CreatedAt: now, UpdatedAt: now,
		}
		people := map[string]personRow{}
		if person != nil {
			row.PersonID = &person.ID
			people[person.ID] = *person
		}
		checkEntry(&f, &row)
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("insert timeline entry: %w", err)
		}
		out = toEntry(row, people)
		return nil
	})
	return out, err
}

// UpdateTimelineEntry changes a timeline entry; a new occurred_at moves it
// in the timeline's order.
func (s *Service) UpdateTimelineEntry(ctx context.Context, a actor.Actor, eventID, entryID string, p TimelineEntryPatch) (TimelineEntry, error) {
	var out TimelineEntry
	err := s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		row, err := findChild[timelineRow](ctx, tx, ev.ID, entryID, "timeline entry")
		if err != nil {
			return err
		}
		var f apperr.Fields
		if p.OccurredAt != nil {
			if t, ok := parseTime(&f, "occurred_at", *p.OccurredAt, true); ok {
				row.OccurredAt = t
			}
		}
		if p.PersonID != nil {
			if strings.TrimSpace(*p.PersonID) == "" {
				row.PersonID = nil
			} else {
				person, err := lookupPerson(ctx, tx, &f, "person_id", *p.PersonID, false)
				if err != nil {
					return err
				}
				if person != nil {
					row.PersonID = &person.ID
					if p.Actor == nil {
						row.Actor = ""
					}
				}
			}
		}
		if p.Actor != nil {
			row.Actor = strings.TrimSpace(*p.Actor)
			if row.Actor != "" && p.PersonID == nil {
				row.PersonID = nil
			}
		}
		if p.Body != nil {
			row.Body = strings.TrimSpace(*p.Body)
		}
		if p.Kind != nil {
			row.Kind = string(*p.Kind)
		}
		if p.SourceURL != nil {
			row.SourceURL = strings.TrimSpace(*p.SourceURL)
		}
		checkEntry(&f, &row)
		if err := f.Err(); err != nil {
			return err
		}
		row.UpdatedAt = s.clock()
		err = tx.WithContext(ctx).Model(&timelineRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"occurred_at": row.OccurredAt, "person_id": row.PersonID, "actor": row.Actor, "body": row.Body,
			"kind": row.Kind, "source_url": row.SourceURL, "updated_at": row.UpdatedAt,
		}).Error
		if err != nil {
			return fmt.Errorf("update timeline entry: %w", err)
		}
		var pids []string
		if row.PersonID != nil {
			pids = append(pids, *row.PersonID)
		}
		people, err := loadPeople(ctx, tx, pids)
		if err != nil {
			return err
		}
		out = toEntry(row, people)
		return nil
	})
	return out, err
}

// DeleteTimelineEntry removes a timeline entry.
func (s *Service) DeleteTimelineEntry(ctx context.Context, a actor.Actor, eventID, entryID string) error {
	return s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		return deleteChild[timelineRow](ctx, tx, ev.ID, entryID, "timeline entry")
	})
}

// findChild loads a row of table T that belongs to the event. A row of
// another event is not found, so ids cannot be used across events.
func findChild[T any](ctx context.Context, tx *gorm.DB, eventID, rawID, what string) (T, error) {
	var zero T
	id, ok := idgen.Canonical(rawID)
	if !ok {
		return zero, apperr.NotFoundf("%s not found", what)
	}
	var rows []T
	if err := tx.WithContext(ctx).Where("id = ? AND event_id = ?", id, eventID).Limit(1).Find(&rows).Error; err != nil {
		return zero, fmt.Errorf("load %s %s: %w", what, id, err)
	}
	if len(rows) == 0 {
		return zero, apperr.NotFoundf("%s not found", what)
	}
	return rows[0], nil
}

func deleteChild[T any](ctx context.Context, tx *gorm.DB, eventID, rawID, what string) error {
	id, ok := idgen.Canonical(rawID)
	if !ok {
		return apperr.NotFoundf("%s not found", what)
	}
	var model T
	res := tx.WithContext(ctx).Where("id = ? AND event_id = ?", id, eventID).Delete(&model)
	if res.Error != nil {
		return fmt.Errorf("delete %s %s: %w", what, id, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.NotFoundf("%s not found", what)
	}
	return nil
}

// ---- Involvements ----

func duplicateInvolvement(name string, role Role) error {
	return &apperr.Error{
		Code:    apperr.Conflict,
		Message: fmt.Sprintf("%s is already recorded with the role %s on this event", name, role),
		Fields:  []apperr.FieldError{{Field: "role", Message: "already recorded for this person"}},
	}
}

// hasInvolvement reports whether person already has role on the event,
// ignoring the involvement being edited. SQLite's driver errors are not
// translated to gorm.ErrDuplicatedKey, so this check, made inside the
// transaction, is what reports duplicates there; PostgreSQL also has the
// unique index to catch a concurrent insert.
func hasInvolvement(ctx context.Context, tx *gorm.DB, eventID, personID string, role Role, exceptID string) (bool, error) {
	q := tx.WithContext(ctx).Model(&involvementRow{}).
		Where("event_id = ? AND person_id = ? AND role = ?", eventID, personID, string(role))
	if exceptID != "" {
		q = q.Where("id <> ?", exceptID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return false, fmt.Errorf("check involvement: %w", err)
	}
	return n > 0, nil
}

// AddInvolvement records that a person took part in the event.
func (s *Service) AddInvolvement(ctx context.Context, a actor.Actor, eventID string, in InvolvementInput) (Involvement, error) {
	var out Involvement
	err := s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		var f apperr.Fields
		if strings.TrimSpace(in.PersonID) == "" {
			f.Add("person_id", "is required")
		}
		person, err := lookupPerson(ctx, tx, &f, "person_id", in.PersonID, false)
		if err != nil {
			return err
		}
		checkEnum(&f, "role", in.Role, Roles())
		note := strings.TrimSpace(in.Note)
		checkLen(&f, "note", note, 0, maxNote)
		if err := f.Err(); err != nil {
			return err
		}
		dup, err := hasInvolvement(ctx, tx, ev.ID, person.ID, in.Role, "")
		if err != nil {
			return err
		}
		if dup {
			return duplicateInvolvement(person.Name, in.Role)
		}
		id := idgen.New()
		now := s.clock()
		row := involvementRow{ID: id, EventID: ev.ID, PersonID: person.ID, Role: string(in.Role), Note: note,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
			if isDuplicate(err) {
				return duplicateInvolvement(person.Name, in.Role)
			}
			return fmt.Errorf("insert involvement: %w", err)
		}
		out = toInvolvement(row, map[string]personRow{person.ID: *person})
		return nil
	})
	return out, err
}

// UpdateInvolvement changes an involvement's role or note.
func (s *Service) UpdateInvolvement(ctx context.Context, a actor.Actor, eventID, involvementID string, p InvolvementPatch) (Involvement, error) {
	var out Involvement
	err := s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		row, err := findChild[involvementRow](ctx, tx, ev.ID, involvementID, "involvement")
		if err != nil {
			return err
		}
		var f apperr.Fields
		if p.Role != nil {
			checkEnum(&f, "role", *p.Role, Roles())
			row.Role = string(*p.Role)
		}
		if p.Note != nil {
			row.Note = strings.TrimSpace(*p.Note)
			checkLen(&f, "note", row.Note, 0, maxNote)
		}
		if err := f.Err(); err != nil {
			return err
		}
		people, err := loadPeople(ctx, tx, []string{row.PersonID})
		if err != nil {
			return err
		}
		name := people[row.PersonID].Name
		dup, err := hasInvolvement(ctx, tx, ev.ID, row.PersonID, Role(row.Role), row.ID)
		if err != nil {
			return err
		}
		if dup {
			return duplicateInvolvement(name, Role(row.Role))
		}
		row.UpdatedAt = s.clock()
		err = tx.WithContext(ctx).Model(&involvementRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"role": row.Role, "note": row.Note, "updated_at": row.UpdatedAt}).Error
		if err != nil {
			if isDuplicate(err) {
				return duplicateInvolvement(name, Role(row.Role))
			}
			return fmt.Errorf("update involvement: %w", err)
		}
		out = toInvolvement(row, people)
		return nil
	})
	return out, err
}

// DeleteInvolvement removes an involvement.
func (s *Service) DeleteInvolvement(ctx context.Context, a actor.Actor, eventID, involvementID string) error {
	return s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		return deleteChild[involvementRow](ctx, tx, ev.ID, involvementID, "involvement")
	})
}

// ---- References ----

// checkReference validates a reference and fills in a missing label.
func checkReference(f *apperr.Fields, r *referenceRow) {
	r.URL = strings.TrimSpace(r.URL)
	r.Label = strings.TrimSpace(r.Label)
	if r.URL == "" {
		f.Add("url", "is required")
	} else if host, ok := checkURL(f, "url", r.URL); ok && r.Label == "" {
		r.Label = host
	}
	// An empty label is left alone here: it can only remain empty when the
	// URL is wrong, and the url error already says what to fix.
	if r.Label != "" {
		checkLen(f, "label", r.Label, 1, maxLabel)
	}
	checkEnum(f, "kind", ReferenceKind(r.Kind), ReferenceKinds())
}

// AddReference attaches a link to the event.
func (s *Service) AddReference(ctx context.Context, a actor.Actor, eventID string, in ReferenceInput) (Reference, error) {
	var out Reference
	err := s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		id := idgen.New()
		row := referenceRow{ID: id, EventID: ev.ID, URL: in.URL, Label: in.Label, Kind: string(in.Kind), CreatedAt: s.clock()}
		var f apperr.Fields
		checkReference(&f, &row)
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("insert reference: %w", err)
		}
		out = toReference(row)
		return nil
	})
	return out, err
}

// UpdateReference changes a reference. Clearing the label sets it back to
// the URL's host.
func (s *Service) UpdateReference(ctx context.Context, a actor.Actor, eventID, referenceID string, p ReferencePatch) (Reference, error) {
	var out Reference
	err := s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		row, err := findChild[referenceRow](ctx, tx, ev.ID, referenceID, "reference")
		if err != nil {
			return err
		}
		if p.URL != nil {
			row.URL = *p.URL
		}
		if p.Label != nil {
			row.Label = *p.Label
		}
		if p.Kind != nil {
			row.Kind = string(*p.Kind)
		}
		var f apperr.Fields
		checkReference(&f, &row)
		if err := f.Err(); err != nil {
			return err
		}
		err = tx.WithContext(ctx).Model(&referenceRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"url": row.URL, "label": row.Label, "kind": row.Kind}).Error
		if err != nil {
			return fmt.Errorf("update reference: %w", err)
		}
		out = toReference(row)
		return nil
	})
	return out, err
}

// DeleteReference removes a reference.
func (s *Service) DeleteReference(ctx context.Context, a actor.Actor, eventID, referenceID string) error {
	return s.write(ctx, a, eventID, func(tx *gorm.DB, ev eventRow) error {
		return deleteChild[referenceRow](ctx, tx, ev.ID, referenceID, "reference")
	})
}

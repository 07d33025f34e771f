package events

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/idgen"
	"github.com/debrief-dev/debrief/internal/pagination"
)

// Audit actions this package records.
const (
	AuditCreated       = "event.created"
	AuditStatusChanged = "event.status_changed"
	auditSubject       = "event"
)

// Service applies the rules for events. It is safe for concurrent use.
type Service struct {
	db  *gorm.DB
	now func() time.Time
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now, so tests can pin created_at and updated_at.
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}

// NewService returns a Service over db, which must be opened with
// TranslateError so unique violations surface as gorm.ErrDuplicatedKey.
func NewService(db *gorm.DB, opts ...Option) *Service {
	s := &Service{db: db, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Service) clock() time.Time { return normTime(s.now()) }

// txErr adds context to a failed transaction unless the error is already
// one for the caller (a coded error from the rules inside it).
func txErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// access loads an event for the caller. An event they may not see is not
// found, so its existence does not leak; one they may see but not change is
// forbidden when write is set.
func (s *Service) access(ctx context.Context, db *gorm.DB, a actor.Actor, id string, write bool) (eventRow, error) {
	row, err := findEvent(ctx, db, a, id)
	if err != nil {
		return eventRow{}, err
	}
	if write && !a.RunsEvents() {
		return eventRow{}, apperr.Forbiddenf("only facilitators and admins can change events")
	}
	return row, nil
}

// AllowedTransitions lists the statuses an event in status from may move
// to: one step forward or back along the lifecycle, or straight to closed.
func AllowedTransitions(from Status) []Status {
	all := Statuses()
	i := slices.Index(all, from)
	if i < 0 {
		return nil
	}
	var out []Status
	if i > 0 {
		out = append(out, all[i-1])
	}
	if i+1 < len(all) {
		out = append(out, all[i+1])
	}
	if from != StatusClosed && !slices.Contains(out, StatusClosed) {
		out = append(out, StatusClosed)
	}
	return out
}

// Create opens a new event in status open.
func (s *Service) Create(ctx context.Context, a actor.Actor, in EventInput) (EventDetail, error) {
	if !a.RunsEvents() {
		return EventDetail{}, apperr.Forbiddenf("only facilitators and admins can create events")
	}
	var f apperr.Fields
	title := strings.TrimSpace(in.Title)
	checkLen(&f, "title", title, 1, maxTitle)
	checkEnum(&f, "kind", in.Kind, Kinds())
	started, okStart := parseTime(&f, "started_at", in.StartedAt, true)
	ended, okEnd := parseTime(&f, "ended_at", in.EndedAt, false)
	if okStart && okEnd && ended.Before(started) {
		f.Add("ended_at", "must not be before started_at")
	}
	summary := strings.TrimSpace(in.Summary)
	checkLen(&f, "summary", summary, 0, maxSummary)
	severity := strings.TrimSpace(in.Severity)
	checkLen(&f, "severity", severity, 0, maxSeverity)
	systems := cleanSystems(&f, in.Systems)

	id := idgen.New()
	now := s.clock()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inv, err := lookupPerson(ctx, tx, &f, "investigator_id", in.InvestigatorID, true)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		row := eventRow{
			ID: id, Title: title, Kind: string(in.Kind), Status: string(StatusOpen),
			StartedAt: started, Summary: summary, Severity: severity,
			CreatedAt: now, UpdatedAt: now,
		}
		if okEnd {
			row.EndedAt = &ended
		}
		if inv != nil {
			row.InvestigatorID = &inv.ID
		}
		if a.UserID != "" {
			row.CreatedBy = &a.UserID
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert event: %w", err)
		}
		if err := replaceSystems(ctx, tx, id, systems); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a.UserID, AuditCreated, auditSubject, id,
			map[string]string{"title": title, "kind": string(in.Kind), "status": string(StatusOpen)})
	})
	if err := txErr(err, "create event"); err != nil {
		return EventDetail{}, err
	}
	return s.Get(ctx, a, id)
}

func replaceSystems(ctx context.Context, tx *gorm.DB, eventID string, systems []string) error {
	if err := tx.WithContext(ctx).Where("event_id = ?", eventID).Delete(&systemRow{}).Error; err != nil {
		return fmt.Errorf("clear event systems: %w", err)
	}
	if len(systems) == 0 {
		return nil
	}
	rows := make([]systemRow, len(systems))
	for i, name := range systems {
		rows[i] = systemRow{EventID: eventID, System: name}
	}
	if err := tx.WithContext(ctx).Create(&rows).Error; err != nil {
		return fmt.Errorf("insert event systems: %w", err)
	}
	return nil
}

// Get returns one event with its timeline, involvements and references.
func (s *Service) Get(ctx context.Context, a actor.Actor, id string) (EventDetail, error) {
	row, err := s.access(ctx, s.db, a, id, false)
	if err != nil {
		return EventDetail{}, err
	}
	return s.detail(ctx, s.db, a, row)
}

func (s *Service) detail(ctx context.Context, db *gorm.DB, a actor.Actor, row eventRow) (EventDetail, error) {
	evs, err := enrich(ctx, db, []eventRow{row})
	if err != nil {
		return EventDetail{}, err
	}
	d := EventDetail{Event: evs[0], AllowedStatuses: []Status{}}
	db = db.WithContext(ctx)

	var tl []timelineRow
	if err := db.Where("event_id = ?", row.ID).Order("occurred_at, created_at, id").Find(&tl).Error; err != nil {
		return EventDetail{}, fmt.Errorf("load timeline: %w", err)
	}
	var invs []involvementRow
	if err := db.Where("event_id = ?", row.ID).Order("created_at, id").Find(&invs).Error; err != nil {
		return EventDetail{}, fmt.Errorf("load involvements: %w", err)
	}
	var refs []referenceRow
	if err := db.Where("event_id = ?", row.ID).Order("created_at, id").Find(&refs).Error; err != nil {
		return EventDetail{}, fmt.Errorf("load references: %w", err)
	}

	var pids []string
	for _, t := range tl {
		if t.PersonID != nil {
			pids = append(pids, *t.PersonID)
		}
	}
	for _, i := range invs {
		pids = append(pids, i.PersonID)
	}
	people, err := loadPeople(ctx, db, pids)
	if err != nil {
		return EventDetail{}, err
	}

	d.Timeline = make([]TimelineEntry, len(tl))
	for i, t := range tl {
		d.Timeline[i] = toEntry(t, people)
	}
	d.Involvements = make([]Involvement, len(invs))
	for i, r := range invs {
		d.Involvements[i] = toInvolvement(r, people)
	}
	d.References = make([]Reference, len(refs))
	for i, r := range refs {
		d.References[i] = toReference(r)
	}
	// The lists were read after the counts; report what is actually shown.
	d.Counts = Counts{Timeline: len(tl), Involvements: len(invs), References: len(refs)}
	if a.RunsEvents() {
		d.AllowedStatuses = AllowedTransitions(d.Status)
	}
	return d, nil
}

// Update changes an event's fields and, through Status, moves it along its
// lifecycle. Asking for the status it already has is not a transition and
// is accepted.
func (s *Service) Update(ctx context.Context, a actor.Actor, id string, p EventPatch) (EventDetail, error) {
	var eventID string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.access(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		eventID = row.ID
		var f apperr.Fields
		set := map[string]any{}

		if p.Title != nil {
			t := strings.TrimSpace(*p.Title)
			checkLen(&f, "title", t, 1, maxTitle)
			set["title"] = t
		}
		if p.Kind != nil {
			checkEnum(&f, "kind", *p.Kind, Kinds())
			set["kind"] = string(*p.Kind)
		}
		started, ended := row.StartedAt, row.EndedAt
		timesOK := true
		if p.StartedAt != nil {
			t, ok := parseTime(&f, "started_at", *p.StartedAt, true)
			timesOK = timesOK && ok
			started = t
			set["started_at"] = t
		}
		if p.EndedAt != nil {
			if strings.TrimSpace(*p.EndedAt) == "" {
				ended = nil
				set["ended_at"] = nil
			} else {
				t, ok := parseTime(&f, "ended_at", *p.EndedAt, false)
				timesOK = timesOK && ok
				ended = &t
				set["ended_at"] = t
			}
		}
		if timesOK && ended != nil && ended.Before(started) {
			if p.EndedAt != nil {
				f.Add("ended_at", "must not be before started_at")
			} else {
				f.Add("started_at", "must not be after ended_at")
			}
		}
		if p.Summary != nil {
			v := strings.TrimSpace(*p.Summary)
			checkLen(&f, "summary", v, 0, maxSummary)
			set["summary"] = v
		}
		if p.Severity != nil {
			v := strings.TrimSpace(*p.Severity)
			checkLen(&f, "severity", v, 0, maxSeverity)
			set["severity"] = v
		}
		var systems []string
		if p.Systems != nil {
			systems = cleanSystems(&f, *p.Systems)
		}
		if p.InvestigatorID != nil {
			raw := strings.TrimSpace(*p.InvestigatorID)
			cur := ""
			if row.InvestigatorID != nil {
				cur = *row.InvestigatorID
			}
			norm, _ := idgen.Canonical(raw)
			switch {
			case raw == "":
				set["investigator_id"] = nil
			case norm == cur:
				// Unchanged: keep an investigator who has since left.
			default:
				inv, err := lookupPerson(ctx, tx, &f, "investigator_id", raw, true)
				if err != nil {
					return err
				}
				if inv != nil {
					set["investigator_id"] = inv.ID
				}
			}
		}
		from, to := Status(row.Status), Status(row.Status)
		if p.Status != nil {
			checkEnum(&f, "status", *p.Status, Statuses())
			to = *p.Status
		}
		if err := f.Err(); err != nil {
			return err
		}
		if to != from {
			allowed := AllowedTransitions(from)
			if !slices.Contains(allowed, to) {
				return &apperr.Error{
					Code: apperr.Conflict,
					Message: fmt.Sprintf("an event cannot move from %s to %s; it can move to %s",
						from, to, joinQuoted(allowed)),
					Fields: []apperr.FieldError{{Field: "status", Message: "allowed: " + joinQuoted(allowed)}},
				}
			}
			set["status"] = string(to)
		}

		set["updated_at"] = s.clock()
		// Matching on the status read above turns a concurrent transition
		// into a conflict instead of silently skipping a step.
		res := tx.Model(&eventRow{}).Where("id = ? AND status = ?", row.ID, row.Status).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("update event: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Conflictf("the event changed while this edit was made; reload it and try again")
		}
		if p.Systems != nil {
			if err := replaceSystems(ctx, tx, row.ID, systems); err != nil {
				return err
			}
		}
		if to != from {
			return audit.Record(ctx, tx, a.UserID, AuditStatusChanged, auditSubject, row.ID,
				map[string]string{"from": string(from), "to": string(to)})
		}
		return nil
	})
	if err := txErr(err, "update event"); err != nil {
		return EventDetail{}, err
	}
	return s.Get(ctx, a, eventID)
}

// List returns one page of the events the caller may see, newest first.
func (s *Service) List(ctx context.Context, a actor.Actor, flt ListFilter, page pagination.Page) (EventList, error) {
	page, err := page.Normalize()
	if err != nil {
		return EventList{}, err
	}
	var f apperr.Fields
	q := s.db.WithContext(ctx).Model(&eventRow{}).Scopes(visible(a))
	if flt.Kind != "" {
		checkEnum(&f, "kind", flt.Kind, Kinds())
		q = q.Where("events.kind = ?", string(flt.Kind))
	}
	if flt.Status != "" {
		checkEnum(&f, "status", flt.Status, Statuses())
		q = q.Where("events.status = ?", string(flt.Status))
	}
	if sys := strings.TrimSpace(flt.System); sys != "" {
		q = q.Where("EXISTS (SELECT 1 FROM event_systems es WHERE es.event_id = events.id AND LOWER(es.system) = ?)",
			strings.ToLower(sys))
	}
	from, okFrom := pagination.ParseBound(&f, "from", flt.From, false)
	to, okTo := pagination.ParseBound(&f, "to", flt.To, true)
	if okFrom {
		q = q.Where("events.started_at >= ?", from)
	}
	if okTo {
		q = q.Where("events.started_at < ?", to)
	}
	if okFrom && okTo && !to.After(from) {
		f.Add("to", "must not be before from")
	}
	if text := strings.TrimSpace(flt.Q); text != "" {
		checkLen(&f, "q", text, 1, maxQueryChars)
		pat := "%" + database.EscapeLike(strings.ToLower(text)) + "%"
		q = q.Where(`(LOWER(events.title) LIKE ? ESCAPE '\' OR LOWER(events.summary) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if page.Cursor != "" {
		at, id, err := pagination.DecodeTimeID(page.Cursor)
		if err != nil {
			return EventList{}, err
		}
		// A row-value comparison lets both dialects seek into the
		// (started_at DESC, id DESC) index; the equivalent OR form makes
		// SQLite scan from the newest event.
		q = q.Where("(events.started_at, events.id) < (?, ?)", at, id)
	}
	if err := f.Err(); err != nil {
		return EventList{}, err
	}

	var rows []eventRow
	if err := q.Order("events.started_at DESC, events.id DESC").Limit(page.Limit + 1).Find(&rows).Error; err != nil {
		return EventList{}, fmt.Errorf("list events: %w", err)
	}
	var next string
	if len(rows) > page.Limit {
		rows = rows[:page.Limit]
		last := rows[len(rows)-1]
		next = pagination.EncodeTimeID(utc(last.StartedAt), last.ID)
	}
	items, err := enrich(ctx, s.db, rows)
	if err != nil {
		return EventList{}, err
	}
	return EventList{Items: items, NextCursor: next}, nil
}

// Systems lists every system named on an event the caller may see, with how
// many such events name it. Names differing only in case are one system, as
// in the list filter, shown in their most used spelling. Spellings are
// merged here rather than in SQL because MIN over text follows the
// database's collation, which differs between the dialects.
func (s *Service) Systems(ctx context.Context, a actor.Actor) ([]System, error) {
	var rows []System
	err := s.db.WithContext(ctx).Table("event_systems es").
		Select("es.system AS name, COUNT(DISTINCT es.event_id) AS events_count").
		Joins("JOIN events ON events.id = es.event_id").
		Scopes(visible(a)).
		Group("es.system").
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list systems: %w", err)
	}
	type group struct {
		System
		best int // events using the spelling in Name
	}
	groups := map[string]*group{}
	for _, r := range rows {
		k := strings.ToLower(r.Name)
		g := groups[k]
		if g == nil {
			groups[k] = &group{System: r, best: r.EventsCount}
			continue
		}
		// One event holds each name once ignoring case (cleanSystems), so
		// the per-spelling counts add up to distinct events.
		g.EventsCount += r.EventsCount
		if r.EventsCount > g.best || (r.EventsCount == g.best && r.Name < g.Name) {
			g.Name, g.best = r.Name, r.EventsCount
		}
	}
	out := make([]System, 0, len(groups))
	for _, g := range groups {
		out = append(out, g.System)
	}
	slices.SortFunc(out, func(a, b System) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

package events

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// Rows mirror the migrated tables. Automatic timestamps are off because
// the service sets them from its own clock, which tests control.

type eventRow struct {
	ID             string `gorm:"primaryKey"`
	Title          string
	Kind           string
	Status         string
	StartedAt      time.Time
	EndedAt        *time.Time
	Summary        string
	Severity       string
	InvestigatorID *string
	CreatedBy      *string
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (eventRow) TableName() string { return "events" }

type systemRow struct {
	EventID string `gorm:"primaryKey"`
	System  string `gorm:"primaryKey"`
}

func (systemRow) TableName() string { return "event_systems" }

type timelineRow struct {
	ID         string `gorm:"primaryKey"`
	EventID    string
	OccurredAt time.Time
	PersonID   *string
	Actor      string
	Body       string
	Kind       string
	SourceURL  string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false"`
}

func (timelineRow) TableName() string { return "timeline_entries" }

type involvementRow struct {
	ID        string `gorm:"primaryKey"`
	EventID   string
	PersonID  string
	Role      string
	Note      string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (involvementRow) TableName() string { return "involvements" }

type referenceRow struct {
	ID        string `gorm:"primaryKey"`
	EventID   string
	URL       string `gorm:"column:url"`
	Label     string
	Kind      string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

func (referenceRow) TableName() string { return "event_references" }

// personRow is the slice of the people table this package needs. Reading it
// here instead of importing the people feature keeps the packages apart.
type personRow struct {
	ID        string
	Name      string
	Team      string
	Timezone  string
	ManagerID *string
	Active    bool
}

func (personRow) TableName() string { return "people" }

func (p personRow) ref() PersonRef {
	return PersonRef{ID: p.ID, Name: p.Name, Team: p.Team, Timezone: p.Timezone}
}

const personColumns = "id, name, team, timezone, manager_id, active"

// visible limits a query on events to those a caller may see. It is the one
// definition of visibility, used for single events and lists alike, so the
// two can never disagree.
func visible(a actor.Actor) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		switch {
		case a.RunsEvents():
			return db
		case a.Role == actor.Member:
			pid, ok := idgen.Canonical(a.PersonID)
			if !ok {
				// A member without a linked person takes part in nothing.
				return db.Where("1 = 0")
			}
			return db.Where("(events.investigator_id = ? OR EXISTS (SELECT 1 FROM involvements vi"+
				" WHERE vi.event_id = events.id AND vi.person_id = ?))", pid, pid)
		case a.Role == actor.Leader:
			return db.Where("events.status IN ?", []string{string(StatusPublished), string(StatusClosed)})
		default:
			return db.Where("1 = 0")
		}
	}
}

func notFoundEvent() error { return apperr.NotFoundf("event not found") }

// findEvent loads an event the caller may see. Malformed ids are simply not
// found: PostgreSQL would reject them as uuids with a server error.
func findEvent(ctx context.Context, db *gorm.DB, a actor.Actor, rawID string) (eventRow, error) {
	id, ok := idgen.Canonical(rawID)
	if !ok {
		return eventRow{}, notFoundEvent()
	}
	var rows []eventRow
	err := db.WithContext(ctx).Scopes(visible(a)).Where("events.id = ?", id).Limit(1).Find(&rows).Error
	if err != nil {
		return eventRow{}, fmt.Errorf("load event %s: %w", id, err)
	}
	if len(rows) == 0 {
		return eventRow{}, notFoundEvent()
	}
	return rows[0], nil
}

func loadPeople(ctx context.Context, db *gorm.DB, ids []string) (map[string]personRow, error) {
	out := make(map[string]personRow, len(ids))
	ids = uniq(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personRow
	if err := db.WithContext(ctx).Select(personColumns).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	for _, p := range rows {
		out[p.ID] = p
	}
	return out, nil
}

// lookupPerson resolves an optional person id from input. Problems with the
// input become field errors; only database failures are returned.
func lookupPerson(ctx context.Context, db *gorm.DB, f *apperr.Fields, field, raw string, mustBeActive bool) (*personRow, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	id, ok := idgen.Canonical(raw)
	if !ok {
		f.Add(field, "no person with this id")
		return nil, nil
	}
	var rows []personRow
	if err := db.WithContext(ctx).Select(personColumns).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("look up person %s: %w", id, err)
	}
	switch {
	case len(rows) == 0:
		f.Add(field, "no person with this id")
		return nil, nil
	case mustBeActive && !rows[0].Active:
		f.Add(field, "%s is no longer active", rows[0].Name)
		return nil, nil
	}
	return &rows[0], nil
}

func uniq(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// enrich turns event rows into Events with systems, investigator, counts
// and warnings, using a fixed number of queries however many rows there are.
func enrich(ctx context.Context, db *gorm.DB, rows []eventRow) ([]Event, error) {
	out := make([]Event, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	var invIDs []string
	for i, r := range rows {
		ids[i] = r.ID
		if r.InvestigatorID != nil {
			invIDs = append(invIDs, *r.InvestigatorID)
		}
	}
	db = db.WithContext(ctx)

	var systems []systemRow
	if err := db.Where("event_id IN ?", ids).Find(&systems).Error; err != nil {
		return nil, fmt.Errorf("load event systems: %w", err)
	}
	sysBy := make(map[string][]string, len(rows))
	for _, s := range systems {
		sysBy[s.EventID] = append(sysBy[s.EventID], s.System)
	}

	var counts []struct {
		EventID string
		What    string
		N       int
	}
	err := db.Raw(`SELECT event_id, 'timeline' AS what, COUNT(*) AS n FROM timeline_entries WHERE event_id IN ? GROUP BY event_id
		UNION ALL SELECT event_id, 'involvements', COUNT(*) FROM involvements WHERE event_id IN ? GROUP BY event_id
		UNION ALL SELECT event_id, 'references', COUNT(*) FROM event_references WHERE event_id IN ? GROUP BY event_id`,
		ids, ids, ids).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count event records: %w", err)
	}
	countBy := make(map[string]*Counts, len(rows))
	for _, r := range rows {
		countBy[r.ID] = &Counts{}
	}
	for _, c := range counts {
		switch c.What {
		case "timeline":
			countBy[c.EventID].Timeline = c.N
		case "involvements":
			countBy[c.EventID].Involvements = c.N
		case "references":
			countBy[c.EventID].References = c.N
		}
	}

	people, err := loadPeople(ctx, db, invIDs)
	if err != nil {
		return nil, err
	}
	warns, err := warnings(ctx, db, ids)
	if err != nil {
		return nil, err
	}

	for i, r := range rows {
		sys := sysBy[r.ID]
		slices.SortFunc(sys, func(a, b string) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
		})
		e := Event{
			ID: r.ID, Title: r.Title, Kind: Kind(r.Kind), Status: Status(r.Status),
			StartedAt: utc(r.StartedAt), EndedAt: utcPtr(r.EndedAt),
			Summary: r.Summary, Severity: r.Severity,
			Systems:   append([]string{}, sys...),
			CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt),
			Warnings: append([]Warning{}, warns[r.ID]...),
			Counts:   *countBy[r.ID],
		}
		if r.InvestigatorID != nil {
			if p, ok := people[*r.InvestigatorID]; ok {
				ref := p.ref()
				e.Investigator = &ref
			}
		}
		out[i] = e
	}
	return out, nil
}

// warnings finds, for each event, whether its investigator responded to it
// or manages someone involved. The query returns only the rows that trigger
// a warning, so its size does not grow with ordinary involvements.
func warnings(ctx context.Context, db *gorm.DB, eventIDs []string) (map[string][]Warning, error) {
	var hits []struct {
		EventID          string
		InvestigatorID   string
		InvestigatorName string
		PersonID         string
		Name             string
		Role             string
		ManagerID        *string
	}
	err := db.WithContext(ctx).Raw(`SELECT i.event_id, e.investigator_id, inv.name AS investigator_name,
			i.person_id, p.name, i.role, p.manager_id
		FROM involvements i
		JOIN events e ON e.id = i.event_id
		JOIN people inv ON inv.id = e.investigator_id
		JOIN people p ON p.id = i.person_id
		WHERE i.event_id IN ? AND e.id IN ?
		  AND ((i.person_id = e.investigator_id AND i.role IN ?) OR p.manager_id = e.investigator_id)`,
		// The page's ids are given twice on purpose: PostgreSQL does not
		// carry the filter on involvements across the join, and without
		// the second copy it scans every event and person on each page.
		eventIDs, eventIDs, []string{string(RoleResponder), string(RoleIncidentCommander)}).Scan(&hits).Error
	if err != nil {
		return nil, fmt.Errorf("check investigator warnings: %w", err)
	}
	type found struct {
		investigator string
		roles        []Role
		managed      map[string]string // person id → name
	}
	by := map[string]*found{}
	for _, h := range hits {
		f := by[h.EventID]
		if f == nil {
			f = &found{investigator: h.InvestigatorName, managed: map[string]string{}}
			by[h.EventID] = f
		}
		if h.PersonID == h.InvestigatorID {
			f.roles = append(f.roles, Role(h.Role))
		}
		if h.ManagerID != nil && *h.ManagerID == h.InvestigatorID {
			f.managed[h.PersonID] = h.Name
		}
	}
	out := make(map[string][]Warning, len(by))
	for eventID, f := range by {
		if len(f.roles) > 0 {
			out[eventID] = append(out[eventID], Warning{
				Code:    WarnInvestigatorWasResponder,
				Message: responderMessage(f.investigator, f.roles),
			})
		}
		if len(f.managed) > 0 {
			names := make([]string, 0, len(f.managed))
			for _, n := range f.managed {
				names = append(names, n)
			}
			slices.Sort(names)
			out[eventID] = append(out[eventID], Warning{
				Code:    WarnInvestigatorManagesInvolved,
				Message: managesMessage(f.investigator, names),
			})
		}
	}
	return out, nil
}

func responderMessage(investigator string, roles []Role) string {
	slices.Sort(roles)
	roles = slices.Compact(roles)
	var what []string
	// Fixed order so the message does not change between reads.
	if slices.Contains(roles, RoleIncidentCommander) {
		what = append(what, "incident commander")
	}
	if slices.Contains(roles, RoleResponder) {
		what = append(what, "a responder")
	}
	return fmt.Sprintf("%s is investigating and was also %s on this event; "+
		"an investigator who was not part of the response can ask fresher questions, and people often say more to them.",
		investigator, listNames(what))
}

func managesMessage(investigator string, names []string) string {
	verb := "who are involved"
	if len(names) == 1 {
		verb = "who is involved"
	}
	return fmt.Sprintf("%s manages %s, %s; an investigator outside the reporting line hears more.",
		investigator, listNames(names), verb)
}

// listNames joins names as people write them: "A", "A and B", "A, B and C".
func listNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func isDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

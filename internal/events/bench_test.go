package events_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/pagination"
)

const benchEvents = 5000

// BenchmarkList50 measures one 50-item page of the events list over 5,000
// events with realistic child rows, so the batched enrichment queries are
// part of the figure. SQLite is the default deployment; PostgreSQL runs too
// when the test server is reachable.
func BenchmarkList50(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := dbtest.New(b, d)
			fx := newFixture(b, db)
			member := seed(b, fx, db.Gorm)
			// Production databases have statistics (autovacuum, or SQLite's
			// optimize); without them PostgreSQL plans the batched lookups
			// as if the tables were empty.
			if err := db.Gorm.Exec("ANALYZE").Error; err != nil {
				b.Fatal(err)
			}
			leader := fx.user(actor.Leader, "")
			ctx := b.Context()

			// A cursor deep in the list, to show keyset pages cost the same
			// wherever they are.
			deep := ""
			for range 60 {
				l, err := fx.svc.List(ctx, fx.facil, events.ListFilter{}, pagination.Page{Limit: 50, Cursor: deep})
				if err != nil || l.NextCursor == "" {
					b.Fatalf("walking to page 61: %v", err)
				}
				deep = l.NextCursor
			}

			cases := []struct {
				name   string
				a      actor.Actor
				f      events.ListFilter
				cursor string
			}{
				{"facilitator", fx.facil, events.ListFilter{}, ""},
				{"facilitator_page61", fx.facil, events.ListFilter{}, deep},
				{"member", member, events.ListFilter{}, ""},
				{"leader", leader, events.ListFilter{}, ""},
				{"system", fx.facil, events.ListFilter{System: "service-07"}, ""},
				{"q", fx.facil, events.ListFilter{Q: "latency"}, ""},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var n int
					for b.Loop() {
						l, err := fx.svc.List(ctx, c.a, c.f, pagination.Page{Limit: 50, Cursor: c.cursor})
						if err != nil {
							b.Fatal(err)
						}
						n = len(l.Items)
					}
					if n != 50 {
						b.Fatalf("page had %d items, want 50", n)
					}
				})
			}
		})
	}
}

// seed inserts benchEvents events with systems, involvements, timeline
// entries and references, in multi-row statements so setup stays quick.
// It returns a member involved in about one event in twenty.
func seed(b *testing.B, fx *fixture, db *gorm.DB) actor.Actor {
	b.Helper()
	var people []string
	for i := range 60 {
		var opts []personOpt
		if i >= 6 {
			opts = append(opts, managedBy(people[i%6])) // six managers
		}
		people = append(people, fx.person(fmt.Sprintf("Person %02d", i), opts...))
	}
	member := fx.user(actor.Member, people[11])

	var evRows, sysRows, invRows, tlRows, refRows [][]any
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := time.Now().UTC().Truncate(time.Microsecond)
	kinds, statuses := events.Kinds(), events.Statuses()
	roles := events.Roles()
	for i := range benchEvents {
		id := uuid.Must(uuid.NewV7()).String()
		// Every fifth event shares its start with the previous one.
		start := base.Add(-time.Duration(i-i/5) * 37 * time.Minute)
		var inv any
		if i%2 == 0 {
			inv = people[i%6] // managers investigate, so warnings fire
		}
		title := fmt.Sprintf("Event %d", i)
		if i%10 == 0 {
			title += " latency spike"
		}
		evRows = append(evRows, []any{id, title, string(kinds[i%len(kinds)]), string(statuses[i%len(statuses)]),
			start, start.Add(45 * time.Minute), "what happened, in a few sentences", "", inv, now, now})
		sysRows = append(sysRows, []any{id, fmt.Sprintf("service-%02d", i%20)}, []any{id, fmt.Sprintf("service-%02d", (i+7)%20)})
		for k := range 3 {
			invRows = append(invRows, []any{uuid.Must(uuid.NewV7()).String(), id, people[(i*7+k*13)%60],
				string(roles[(i+k)%len(roles)]), "", now, now})
		}
		for k := range 4 {
			tlRows = append(tlRows, []any{uuid.Must(uuid.NewV7()).String(), id, start.Add(time.Duration(k) * time.Minute),
				"someone", "did a thing", string(events.TimelineAction), now, now})
		}
		refRows = append(refRows, []any{uuid.Must(uuid.NewV7()).String(), id, "https://chat.example.com/" + id, "chat", string(events.RefChatLog), now})
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		for _, t := range []struct {
			table string
			cols  string
			rows  [][]any
		}{
			{"events", "id, title, kind, status, started_at, ended_at, summary, severity, investigator_id, created_at, updated_at", evRows},
			{"event_systems", "event_id, system", sysRows},
			{"involvements", "id, event_id, person_id, role, note, created_at, updated_at", invRows},
			{"timeline_entries", "id, event_id, occurred_at, actor, body, kind, created_at, updated_at", tlRows},
			{"event_references", "id, event_id, url, label, kind, created_at", refRows},
		} {
			if err := bulkInsert(tx, t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return member
}

func bulkInsert(tx *gorm.DB, table, cols string, rows [][]any) error {
	const batch = 400
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		ph := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk[0])), ", ") + ")"
		var sb strings.Builder
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		fmt.Fprintf(&sb, "INSERT INTO %s (%s) VALUES ", table, cols)
		for i, r := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(ph)
			args = append(args, r...)
		}
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("seed %s: %w", table, err)
		}
	}
	return nil
}

package events_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/pagination"
)

func pageOf(n int) pagination.Page { return pagination.Page{Limit: n} }

func TestVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		lee, dana, kim := fx.person("Lee Chen"), fx.person("Dana Ortiz"), fx.person("Kim Ito")
		pat := fx.person("Pat Roe") // has no account; editors involve them in every event

		involved := fx.event("Involved", func(in *events.EventInput) { in.Systems = []string{"db"} })
		fx.involve(involved.ID, lee, events.RoleResponder)
		investigated := fx.event("Investigated", func(in *events.EventInput) { in.InvestigatorID = dana; in.Systems = []string{"queue"} })
		published := fx.event("Published", func(in *events.EventInput) { in.Systems = []string{"db", "search"} })
		fx.setStatus(published.ID, events.StatusPublished)
		closed := fx.event("Closed")
		fx.setStatus(closed.ID, events.StatusClosed)
		open := fx.event("Open", func(in *events.EventInput) { in.Systems = []string{"db"} })

		all := []string{involved.ID, investigated.ID, published.ID, closed.ID, open.ID}
		name := map[string]string{involved.ID: "Involved", investigated.ID: "Investigated", published.ID: "Published",
			closed.ID: "Closed", open.ID: "Open"}

		cases := []struct {
			who     string
			a       actor.Actor
			sees    []string
			canEdit bool
		}{
			{"admin", fx.admin, all, true},
			{"facilitator", fx.facil, all, true},
			{"member involved", fx.user(actor.Member, lee), []string{involved.ID}, false},
			{"member investigating", fx.user(actor.Member, dana), []string{investigated.ID}, false},
			{"member not involved", fx.user(actor.Member, kim), nil, false},
			{"member without person", fx.user(actor.Member, ""), nil, false},
			{"leader", fx.user(actor.Leader, ""), []string{published.ID, closed.ID}, false},
			{"unknown role", actor.Actor{UserID: fx.admin.UserID, Role: "guest"}, nil, false},
		}
		// Distinct roles so the second editor does not hit the duplicate rule.
		editorRole := map[string]events.Role{"admin": events.RoleOther, "facilitator": events.RoleExpert}
		for _, c := range cases {
			t.Run(c.who, func(t *testing.T) {
				list := must[events.EventList](t)(fx.svc.List(ctx, c.a, events.ListFilter{}, pageOf(50)))
				if got := sortedStrings(ids(list.Items)); !slices.Equal(got, sortedStrings(c.sees)) {
					t.Fatalf("list = %v, want %v", titles(list.Items), c.sees)
				}
				for _, id := range all {
					visible := slices.Contains(c.sees, id)
					d, err := fx.svc.Get(ctx, c.a, id)
					switch {
					case visible && err != nil:
						t.Fatalf("get %s: %v", name[id], err)
					case !visible:
						wantCode(t, err, apperr.NotFound)
					case c.canEdit != (len(d.AllowedStatuses) > 0):
						t.Fatalf("get %s: allowed_statuses = %v", name[id], d.AllowedStatuses)
					}
					if _, err := fx.svc.Timeline(ctx, c.a, id); visible != (err == nil) {
						t.Fatalf("timeline %s: %v", name[id], err)
					}

					want := apperr.NotFound
					if visible {
						want = apperr.Forbidden
					}
					writes := map[string]error{}
					_, writes["update"] = fx.svc.Update(ctx, c.a, id, events.EventPatch{Title: ptr("changed by " + c.who)})
					_, writes["timeline"] = fx.svc.AddTimelineEntry(ctx, c.a, id, events.TimelineEntryInput{
						OccurredAt: "2026-11-01T10:00:00Z", Body: "b", Kind: events.TimelineAction})
					_, writes["involvement"] = fx.svc.AddInvolvement(ctx, c.a, id, events.InvolvementInput{PersonID: pat, Role: editorRole[c.who]})
					_, writes["reference"] = fx.svc.AddReference(ctx, c.a, id, events.ReferenceInput{URL: "https://x.example.com", Kind: events.RefOther})
					writes["delete entry"] = fx.svc.DeleteTimelineEntry(ctx, c.a, id, "0195e1b2-0000-7000-8000-000000000000")
					for what, err := range writes {
						if c.canEdit {
							if what == "delete entry" {
								wantCode(t, err, apperr.NotFound) // the entry, not the event
							} else if err != nil {
								t.Fatalf("%s %s: %v", what, name[id], err)
							}
							continue
						}
						if apperr.CodeOf(err) != want {
							t.Fatalf("%s on %s: got %v, want %s", what, name[id], err, want)
						}
					}
				}

				systems := must[[]events.System](t)(fx.svc.Systems(ctx, c.a))
				var got []string
				for _, s := range systems {
					got = append(got, fmt.Sprintf("%s=%d", s.Name, s.EventsCount))
				}
				wantSystems := map[string][]string{
					"admin":                {"db=3", "queue=1", "search=1"},
					"facilitator":          {"db=3", "queue=1", "search=1"},
					"member involved":      {"db=1"},
					"member investigating": {"queue=1"},
					"leader":               {"db=1", "search=1"},
				}[c.who]
				if !slices.Equal(got, wantSystems) {
					t.Fatalf("systems = %v, want %v", got, wantSystems)
				}
			})
		}
		// Nothing a reader tried was written.
		d := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, published.ID))
		if d.Title != "changed by facilitator" {
			t.Fatalf("title = %q: only the admin and facilitator edits should land", d.Title)
		}
		var n int64
		db.Gorm.Table("timeline_entries").Where("event_id = ?", published.ID).Count(&n)
		if n != 2 {
			t.Fatalf("%d timeline entries on Published, want 2 (admin and facilitator)", n)
		}
	})
}

func TestListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		mk := func(title string, kind events.Kind, start, summary string, systems ...string) string {
			return fx.event(title, func(in *events.EventInput) {
				in.Kind, in.StartedAt, in.Summary, in.Systems = kind, start, summary, systems
			}).ID
		}
		mk("Checkout outage", events.KindIncident, "2026-10-01T08:00:00Z", "Payments API timed out", "Payments", "API")
		mk("Cert renewal", events.KindNearMiss, "2026-10-15T23:30:00-02:00", "caught 100% by luck", "edge") // 16th 01:30 UTC
		mk("Deploy freeze", events.KindChange, "2026-10-16T12:00:00Z", "rollout_paused for review", "deploy", "payments")
		mk("Game day DB", events.KindGameDay, "2026-11-02T09:00:00Z", "failover drill setup", "db")
		x := mk("Search slow", events.KindIncident, "2026-11-03T09:00:00Z", "CHECKOUT search degraded", "search")
		fx.setStatus(x, events.StatusPublished)

		cases := []struct {
			name string
			f    events.ListFilter
			want []string
		}{
			{"none", events.ListFilter{}, []string{"Search slow", "Game day DB", "Deploy freeze", "Cert renewal", "Checkout outage"}},
			{"kind", events.ListFilter{Kind: events.KindIncident}, []string{"Search slow", "Checkout outage"}},
			{"status", events.ListFilter{Status: events.StatusPublished}, []string{"Search slow"}},
			{"system ignores case", events.ListFilter{System: " PAYMENTS "}, []string{"Deploy freeze", "Checkout outage"}},
			{"system exact", events.ListFilter{System: "pay"}, nil},
			{"from date", events.ListFilter{From: "2026-10-16"}, []string{"Search slow", "Game day DB", "Deploy freeze", "Cert renewal"}},
			{"to date includes the day", events.ListFilter{To: "2026-10-16"}, []string{"Deploy freeze", "Cert renewal", "Checkout outage"}},
			{"to time exclusive", events.ListFilter{To: "2026-10-16T14:00:00+02:00"}, []string{"Cert renewal", "Checkout outage"}},
			{"to time just after", events.ListFilter{To: "2026-10-16T14:00:01+02:00"}, []string{"Deploy freeze", "Cert renewal", "Checkout outage"}},
			{"range", events.ListFilter{From: "2026-10-02", To: "2026-11-02"}, []string{"Game day DB", "Deploy freeze", "Cert renewal"}},
			{"q title", events.ListFilter{Q: "checkout"}, []string{"Search slow", "Checkout outage"}},
			{"q summary", events.ListFilter{Q: "Drill"}, []string{"Game day DB"}},
			{"q percent is literal", events.ListFilter{Q: "100%"}, []string{"Cert renewal"}},
			{"q underscore is literal", events.ListFilter{Q: "t_p"}, []string{"Deploy freeze"}},
			{"q percent alone", events.ListFilter{Q: "%"}, []string{"Cert renewal"}},
			{"combined", events.ListFilter{Kind: events.KindIncident, System: "api", From: "2026-09-01", To: "2026-10-31", Q: "outage"}, []string{"Checkout outage"}},
			{"combined excludes", events.ListFilter{Kind: events.KindIncident, Status: events.StatusOpen, Q: "checkout"}, []string{"Checkout outage"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				list := must[events.EventList](t)(fx.svc.List(ctx, fx.facil, c.f, pageOf(50)))
				if got := titles(list.Items); !slices.Equal(got, c.want) && (len(got) != 0 || len(c.want) != 0) {
					t.Fatalf("got %v, want %v", got, c.want)
				}
				if list.NextCursor != "" {
					t.Fatalf("next cursor on a complete page: %q", list.NextCursor)
				}
			})
		}

		// Each list item carries systems, counts and investigator.
		list := must[events.EventList](t)(fx.svc.List(ctx, fx.facil, events.ListFilter{Q: "checkout outage"}, pageOf(50)))
		if len(list.Items) != 1 || !slices.Equal(list.Items[0].Systems, []string{"API", "Payments"}) {
			t.Fatalf("items = %+v", list.Items)
		}

		bad := []struct {
			f      events.ListFilter
			page   pagination.Page
			fields []string
		}{
			{events.ListFilter{Kind: "outage"}, pageOf(10), []string{"kind"}},
			{events.ListFilter{Status: "done"}, pageOf(10), []string{"status"}},
			{events.ListFilter{From: "last week", To: "2026-13-01"}, pageOf(10), []string{"from", "to"}},
			{events.ListFilter{From: "2026-11-02", To: "2026-11-01"}, pageOf(10), []string{"to"}},
			{events.ListFilter{}, pageOf(201), []string{"limit"}},
			{events.ListFilter{}, pagination.Page{Limit: 5, Cursor: "garbage"}, []string{"cursor"}},
			{events.ListFilter{}, pagination.Page{Limit: 5, Cursor: pagination.Encode("yesterday", "x")}, []string{"cursor"}},
		}
		for _, c := range bad {
			_, err := fx.svc.List(ctx, fx.facil, c.f, c.page)
			wantFields(t, err, c.fields...)
		}
	})
}

func TestPagination(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		lee := fx.person("Lee Chen")
		member := fx.user(actor.Member, lee)
		type ev struct {
			id    string
			start time.Time
		}
		var all, mine []ev
		base := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		for i := range 23 {
			// Runs of equal start times straddle page boundaries.
			start := base.Add(time.Duration(i/4) * time.Hour)
			d := fx.event(fmt.Sprintf("E%02d", i), func(in *events.EventInput) { in.StartedAt = start.Format(time.RFC3339) })
			all = append(all, ev{d.ID, start})
			if i%3 == 0 {
				fx.involve(d.ID, lee, events.RoleResponder)
				mine = append(mine, ev{d.ID, start})
			}
		}
		order := func(list []ev) []string {
			list = slices.Clone(list)
			slices.SortFunc(list, func(a, b ev) int { return cmp.Or(b.start.Compare(a.start), cmp.Compare(b.id, a.id)) })
			out := make([]string, len(list))
			for i, e := range list {
				out[i] = e.id
			}
			return out
		}
		walk := func(a actor.Actor, limit int, f events.ListFilter) ([]string, int) {
			t.Helper()
			var got []string
			cursor, pages := "", 0
			for {
				list, err := fx.svc.List(ctx, a, f, pagination.Page{Limit: limit, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if len(list.Items) > limit {
					t.Fatalf("page of %d items, limit %d", len(list.Items), limit)
				}
				got = append(got, ids(list.Items)...)
				if list.NextCursor == "" {
					return got, pages
				}
				if pages > 50 {
					t.Fatal("pagination does not end")
				}
				cursor = list.NextCursor
			}
		}
		for _, limit := range []int{1, 3, 4, 5, 23, 50} {
			got, pages := walk(fx.facil, limit, events.ListFilter{})
			if !slices.Equal(got, order(all)) {
				t.Fatalf("limit %d: walked %d ids in %d pages, not the full order without duplicates or gaps", limit, len(got), pages)
			}
			if want := (23 + limit - 1) / limit; pages != want && pages != want+1 {
				t.Fatalf("limit %d: %d pages", limit, pages)
			}
		}
		got, _ := walk(member, 2, events.ListFilter{})
		if !slices.Equal(got, order(mine)) || len(got) != 8 {
			t.Fatalf("member walk = %d items, want the 8 they were involved in, in order", len(got))
		}

		// An event added before the cursor position does not shift later pages.
		first := must[events.EventList](t)(fx.svc.List(ctx, fx.facil, events.ListFilter{}, pageOf(5)))
		fx.event("Newest", func(in *events.EventInput) { in.StartedAt = "2027-01-01T00:00:00Z" })
		rest := must[events.EventList](t)(fx.svc.List(ctx, fx.facil, events.ListFilter{}, pagination.Page{Limit: 5, Cursor: first.NextCursor}))
		if want := order(all)[5:10]; !slices.Equal(ids(rest.Items), want) {
			t.Fatalf("second page after an insert = %v, want %v", ids(rest.Items), want)
		}
	})
}

func TestSystemsGroupCaseInsensitively(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		fx.event("A", func(in *events.EventInput) { in.Systems = []string{"payments", "API"} })
		fx.event("B", func(in *events.EventInput) { in.Systems = []string{"Payments", "Queue"} })
		fx.event("C", func(in *events.EventInput) { in.Systems = []string{"zeta", "queue"} })
		fx.event("D", func(in *events.EventInput) { in.Systems = []string{"payments"} })
		got := must[[]events.System](t)(fx.svc.Systems(t.Context(), fx.admin))
		// The most used spelling names the group; a tie goes to the
		// byte-wise smallest, the same on both dialects.
		want := []events.System{{Name: "API", EventsCount: 1}, {Name: "payments", EventsCount: 3},
			{Name: "Queue", EventsCount: 2}, {Name: "zeta", EventsCount: 1}}
		if !slices.Equal(got, want) {
			t.Fatalf("systems = %+v, want %+v", got, want)
		}
		none := must[[]events.System](t)(fx.svc.Systems(t.Context(), fx.user(actor.Leader, "")))
		if none == nil || len(none) != 0 {
			t.Fatalf("leader with nothing published: %#v", none)
		}
	})
}

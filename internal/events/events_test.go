package events_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/events"
)

func TestCreateAndGet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz", team("sre"))

		d, err := fx.svc.Create(ctx, fx.facil, events.EventInput{
			Title:          "  Checkout latency  ",
			Kind:           events.KindNearMiss,
			StartedAt:      "2026-11-20T10:15:30.5+02:00",
			EndedAt:        "2026-11-20T11:00:00-05:00",
			Summary:        " queue backed up ",
			Severity:       "SEV-2",
			Systems:        []string{" payments ", "API", "Payments", "", "api"},
			InvestigatorID: strings.ToUpper(dana), // ids are matched in canonical form
		})
		if err != nil {
			t.Fatal(err)
		}
		if d.Title != "Checkout latency" || d.Kind != events.KindNearMiss || d.Status != events.StatusOpen {
			t.Fatalf("title/kind/status = %q %q %q", d.Title, d.Kind, d.Status)
		}
		if want := time.Date(2026, 11, 20, 8, 15, 30, 5e8, time.UTC); !d.StartedAt.Equal(want) || d.StartedAt.Location() != time.UTC {
			t.Fatalf("started_at = %v, want %v in UTC", d.StartedAt, want)
		}
		if d.EndedAt == nil || !d.EndedAt.Equal(time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)) {
			t.Fatalf("ended_at = %v", d.EndedAt)
		}
		if d.Summary != "queue backed up" || d.Severity != "SEV-2" {
			t.Fatalf("summary/severity = %q %q", d.Summary, d.Severity)
		}
		if !slices.Equal(d.Systems, []string{"API", "payments"}) {
			t.Fatalf("systems = %v", d.Systems)
		}
		if d.Investigator == nil || *d.Investigator != (events.PersonRef{ID: dana, Name: "Dana Ortiz", Team: "sre", Timezone: "Europe/Berlin"}) {
			t.Fatalf("investigator = %+v", d.Investigator)
		}
		if !slices.Equal(d.AllowedStatuses, []events.Status{events.StatusGathering, events.StatusClosed}) {
			t.Fatalf("allowed = %v", d.AllowedStatuses)
		}
		if d.Counts != (events.Counts{}) || len(d.Warnings) != 0 || len(d.Timeline) != 0 {
			t.Fatalf("counts %+v warnings %v timeline %v", d.Counts, d.Warnings, d.Timeline)
		}
		if want := fx.clock.base.Add(time.Second); !d.CreatedAt.Equal(want) || !d.UpdatedAt.Equal(want) {
			t.Fatalf("created/updated = %v/%v, want %v", d.CreatedAt, d.UpdatedAt, want)
		}

		got, err := fx.svc.Get(ctx, fx.admin, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != d.ID || !got.StartedAt.Equal(d.StartedAt) || !slices.Equal(got.Systems, d.Systems) {
			t.Fatalf("get = %+v", got.Event)
		}

		entries, err := audit.List(ctx, db.Gorm, "event", d.ID)
		if err != nil || len(entries) != 1 || entries[0].Action != events.AuditCreated ||
			entries[0].ActorUserID == nil || *entries[0].ActorUserID != fx.facil.UserID {
			t.Fatalf("audit = %+v, %v", entries, err)
		}

		// The JSON shape is the API contract.
		raw, _ := json.Marshal(got)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		wantKeys := []string{"allowed_statuses", "counts", "created_at", "ended_at", "id", "investigator", "involvements",
			"kind", "references", "severity", "started_at", "status", "summary", "systems", "timeline", "title",
			"updated_at", "warnings"}
		if !slices.Equal(sortedStrings(keys), wantKeys) {
			t.Fatalf("json keys = %v", sortedStrings(keys))
		}
		if m["started_at"] != "2026-11-20T08:15:30.5Z" || m["ended_at"] != "2026-11-20T16:00:00Z" {
			t.Fatalf("json times = %v %v", m["started_at"], m["ended_at"])
		}
		if !strings.Contains(string(raw), `"warnings":[]`) || !strings.Contains(string(raw), `"timeline":[]`) ||
			!strings.Contains(string(raw), `"counts":{"timeline":0,"involvements":0,"references":0}`) {
			t.Fatalf("json = %s", raw)
		}

		// Minimal event: no end, no investigator; nulls, not zero values.
		minimal := fx.event("Minimal")
		raw, _ = json.Marshal(minimal)
		if !strings.Contains(string(raw), `"ended_at":null`) || !strings.Contains(string(raw), `"investigator":null`) ||
			!strings.Contains(string(raw), `"systems":[]`) {
			t.Fatalf("json = %s", raw)
		}

		if _, err := fx.svc.Get(ctx, fx.admin, "not-a-uuid"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("malformed id: %v", err)
		}
		if _, err := fx.svc.Get(ctx, fx.admin, "0195e1b2-0000-7000-8000-000000000000"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

func TestCreateValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		gone := fx.person("Former Colleague", inactive())
		valid := func() events.EventInput {
			return events.EventInput{Title: "T", Kind: events.KindChange, StartedAt: "2026-11-01T10:00:00Z"}
		}
		cases := []struct {
			name   string
			mod    func(*events.EventInput)
			fields []string
		}{
			{"blank title", func(in *events.EventInput) { in.Title = "   " }, []string{"title"}},
			{"long title", func(in *events.EventInput) { in.Title = strings.Repeat("é", 201) }, []string{"title"}},
			{"missing kind", func(in *events.EventInput) { in.Kind = "" }, []string{"kind"}},
			{"unknown kind", func(in *events.EventInput) { in.Kind = "outage" }, []string{"kind"}},
			{"missing start", func(in *events.EventInput) { in.StartedAt = "" }, []string{"started_at"}},
			{"start without offset", func(in *events.EventInput) { in.StartedAt = "2026-11-01T10:00:00" }, []string{"started_at"}},
			{"end before start", func(in *events.EventInput) { in.EndedAt = "2026-11-01T10:59:00+01:00" }, []string{"ended_at"}},
			{"bad end", func(in *events.EventInput) { in.EndedAt = "tomorrow" }, []string{"ended_at"}},
			{"long severity", func(in *events.EventInput) { in.Severity = strings.Repeat("s", 41) }, []string{"severity"}},
			{"unknown investigator", func(in *events.EventInput) { in.InvestigatorID = "0195e1b2-0000-7000-8000-000000000000" }, []string{"investigator_id"}},
			{"malformed investigator", func(in *events.EventInput) { in.InvestigatorID = "dana" }, []string{"investigator_id"}},
			{"inactive investigator", func(in *events.EventInput) { in.InvestigatorID = gone }, []string{"investigator_id"}},
			{"long system", func(in *events.EventInput) { in.Systems = []string{strings.Repeat("x", 101)} }, []string{"systems"}},
			{"everything at once", func(in *events.EventInput) {
				in.Title, in.Kind, in.StartedAt, in.InvestigatorID = "", "x", "", "nobody"
			}, []string{"title", "kind", "started_at", "investigator_id"}},
		}
		for _, c := range cases {
			in := valid()
			c.mod(&in)
			_, err := fx.svc.Create(ctx, fx.admin, in)
			if err == nil {
				t.Fatalf("%s: accepted", c.name)
			}
			t.Run(c.name, func(t *testing.T) { wantFields(t, err, c.fields...) })
		}
		// Exactly 200 characters and an end equal to the start are fine.
		in := valid()
		in.Title, in.EndedAt, in.Severity = strings.Repeat("é", 200), "2026-11-01T11:00:00+01:00", strings.Repeat("s", 40)
		if _, err := fx.svc.Create(ctx, fx.admin, in); err != nil {
			t.Fatalf("boundary values rejected: %v", err)
		}
		var n int64
		db.Gorm.Table("events").Count(&n)
		if n != 1 {
			t.Fatalf("%d events stored, want only the valid one", n)
		}
		for _, role := range []actor.Role{actor.Member, actor.Leader} {
			_, err := fx.svc.Create(ctx, fx.user(role, ""), valid())
			wantCode(t, err, apperr.Forbidden)
		}
	})
}

func TestUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana, lee := fx.person("Dana Ortiz"), fx.person("Lee Chen")
		d := fx.event("Before", func(in *events.EventInput) {
			in.EndedAt = "2026-11-01T12:00:00Z"
			in.Systems = []string{"db", "queue"}
			in.InvestigatorID = dana
		})

		up, err := fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{
			Title:          ptr(" After "),
			Kind:           ptr(events.KindSurprise),
			Summary:        ptr("what we saw"),
			Severity:       ptr("minor"),
			Systems:        ptr([]string{"Search"}),
			InvestigatorID: ptr(lee),
			EndedAt:        ptr(""),
		})
		if err != nil {
			t.Fatal(err)
		}
		if up.Title != "After" || up.Kind != events.KindSurprise || up.Summary != "what we saw" || up.Severity != "minor" ||
			up.EndedAt != nil || !slices.Equal(up.Systems, []string{"Search"}) || up.Investigator == nil ||
			up.Investigator.ID != lee || up.Status != events.StatusOpen {
			t.Fatalf("after update: %+v", up.Event)
		}
		if !up.UpdatedAt.After(d.UpdatedAt) || !up.CreatedAt.Equal(d.CreatedAt) {
			t.Fatalf("timestamps: created %v→%v updated %v→%v", d.CreatedAt, up.CreatedAt, d.UpdatedAt, up.UpdatedAt)
		}

		// An empty patch leaves everything alone.
		same, err := fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{})
		if err != nil || same.Title != "After" || !slices.Equal(same.Systems, []string{"Search"}) {
			t.Fatalf("empty patch: %+v %v", same.Event, err)
		}

		// The end/start rule is checked against the stored value of the
		// field that was not sent, and names the field that was.
		if _, err := fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{EndedAt: ptr("2026-11-01T13:00:00Z")}); err != nil {
			t.Fatal(err)
		}
		_, err = fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{StartedAt: ptr("2026-11-01T14:00:00Z")})
		wantFields(t, err, "started_at")
		_, err = fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{EndedAt: ptr("2026-11-01T09:00:00Z")})
		wantFields(t, err, "ended_at")
		_, err = fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Title: ptr(""), Kind: ptr(events.Kind("bad")), Status: ptr(events.Status("done"))})
		wantFields(t, err, "title", "kind", "status")
		_, err = fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{InvestigatorID: ptr("0195e1b2-0000-7000-8000-000000000000")})
		wantFields(t, err, "investigator_id")

		// A failed patch changes nothing.
		got := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		if got.Title != "After" || got.StartedAt.Hour() != 10 || got.EndedAt == nil || got.EndedAt.Hour() != 13 {
			t.Fatalf("after failed patches: %+v", got.Event)
		}

		// Clearing the investigator and systems.
		got, err = fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{InvestigatorID: ptr(""), Systems: ptr([]string{})})
		if err != nil || got.Investigator != nil || len(got.Systems) != 0 {
			t.Fatalf("clear: %+v %v", got.Event, err)
		}
		if _, err := fx.svc.Update(ctx, fx.facil, "0195e1b2-0000-7000-8000-000000000000", events.EventPatch{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("update unknown: %v", err)
		}
	})
}

func TestStatusTransitions(t *testing.T) {
	if got := events.AllowedTransitions(events.StatusReviewing); !slices.Equal(got,
		[]events.Status{events.StatusAnalyzing, events.StatusPublished, events.StatusClosed}) {
		t.Fatalf("reviewing → %v", got)
	}
	if got := events.AllowedTransitions(events.StatusClosed); !slices.Equal(got, []events.Status{events.StatusPublished}) {
		t.Fatalf("closed → %v", got)
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		d := fx.event("Lifecycle")

		// Skipping ahead is refused and names where it can go.
		_, err := fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Status: ptr(events.StatusPublished)})
		e := wantCode(t, err, apperr.Conflict)
		if !strings.Contains(e.Message, "gathering, closed") || len(e.Fields) != 1 || e.Fields[0].Field != "status" {
			t.Fatalf("conflict = %q %+v", e.Message, e.Fields)
		}

		want := map[events.Status][]events.Status{
			events.StatusGathering: {events.StatusOpen, events.StatusAnalyzing, events.StatusClosed},
			events.StatusAnalyzing: {events.StatusGathering, events.StatusReviewing, events.StatusClosed},
			events.StatusReviewing: {events.StatusAnalyzing, events.StatusPublished, events.StatusClosed},
			events.StatusPublished: {events.StatusReviewing, events.StatusClosed},
			events.StatusClosed:    {events.StatusPublished},
		}
		path := []events.Status{events.StatusGathering, events.StatusAnalyzing, events.StatusReviewing,
			events.StatusPublished, events.StatusClosed, events.StatusPublished}
		for _, s := range path {
			got, err := fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Status: ptr(s)})
			if err != nil {
				t.Fatalf("→ %s: %v", s, err)
			}
			if got.Status != s || !slices.Equal(got.AllowedStatuses, want[s]) {
				t.Fatalf("at %s allowed = %v, want %v", got.Status, got.AllowedStatuses, want[s])
			}
		}
		// Back one step from published, then published → analyzing is two steps.
		must[events.EventDetail](t)(fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Status: ptr(events.StatusReviewing)}))
		must[events.EventDetail](t)(fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Status: ptr(events.StatusPublished)}))
		_, err = fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Status: ptr(events.StatusAnalyzing)})
		e = wantCode(t, err, apperr.Conflict)
		if !strings.Contains(e.Message, "reviewing, closed") {
			t.Fatalf("conflict = %q", e.Message)
		}
		// The same status is not a transition.
		same := must[events.EventDetail](t)(fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{Status: ptr(events.StatusPublished)}))
		if same.Status != events.StatusPublished {
			t.Fatalf("status = %s", same.Status)
		}
		// Closed is reachable from any status.
		other := fx.event("Straight to closed")
		closed := must[events.EventDetail](t)(fx.svc.Update(ctx, fx.facil, other.ID, events.EventPatch{Status: ptr(events.StatusClosed)}))
		if closed.Status != events.StatusClosed {
			t.Fatalf("status = %s", closed.Status)
		}

		entries, err := audit.List(ctx, db.Gorm, "event", d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var trail []string
		for _, en := range entries {
			if en.Action == events.AuditStatusChanged {
				var det map[string]string
				if err := json.Unmarshal([]byte(en.Detail), &det); err != nil {
					t.Fatal(err)
				}
				trail = append(trail, det["from"]+">"+det["to"])
			}
		}
		wantTrail := []string{"open>gathering", "gathering>analyzing", "analyzing>reviewing", "reviewing>published",
			"published>closed", "closed>published", "published>reviewing", "reviewing>published"}
		if !slices.Equal(trail, wantTrail) {
			t.Fatalf("audit trail = %v", trail)
		}
	})
}

func TestTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		lee := fx.person("Lee Chen", team("payments"))
		d := fx.event("Timeline")
		add := func(in events.TimelineEntryInput) events.TimelineEntry {
			t.Helper()
			e, err := fx.svc.AddTimelineEntry(ctx, fx.facil, d.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		// 10:05+02:00 is 08:05 UTC, earlier than 09:00Z even though it reads later.
		a := add(events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Actor: "pager", Body: "alert fired", Kind: events.TimelineObservation})
		b := add(events.TimelineEntryInput{OccurredAt: "2026-11-01T10:05:00+02:00", PersonID: lee, Body: " rolled back ", Kind: events.TimelineAction,
			SourceURL: "https://chat.example.com/p/1"})
		c := add(events.TimelineEntryInput{OccurredAt: "2026-11-01T04:00:00-05:00", Body: "same instant as a", Kind: events.TimelineDecision})

		if !b.OccurredAt.Equal(time.Date(2026, 11, 1, 8, 5, 0, 0, time.UTC)) || b.OccurredAt.Location() != time.UTC {
			t.Fatalf("occurred_at = %v", b.OccurredAt)
		}
		if b.Person == nil || b.Person.Name != "Lee Chen" || b.Actor != "" || b.Body != "rolled back" {
			t.Fatalf("entry b = %+v", b)
		}
		order := func() []string {
			t.Helper()
			list := must[[]events.TimelineEntry](t)(fx.svc.Timeline(ctx, fx.admin, d.ID))
			var out []string
			for _, e := range list {
				if e.OccurredAt.Location() != time.UTC {
					t.Fatalf("entry %s read back in %v", e.Body, e.OccurredAt.Location())
				}
				out = append(out, e.ID)
			}
			return out
		}
		// a and c share an instant; a was created first.
		if got := order(); !slices.Equal(got, []string{b.ID, a.ID, c.ID}) {
			t.Fatalf("order = %v, want b a c", got)
		}
		stored := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		if len(stored.Timeline) != 3 || stored.Counts.Timeline != 3 || stored.Timeline[0].Person == nil ||
			!stored.Timeline[0].OccurredAt.Equal(b.OccurredAt) || stored.Timeline[0].SourceURL != "https://chat.example.com/p/1" {
			t.Fatalf("detail timeline = %+v", stored.Timeline)
		}

		// Moving b later puts it last; switching to free text clears the person.
		moved, err := fx.svc.UpdateTimelineEntry(ctx, fx.facil, d.ID, b.ID, events.TimelineEntryPatch{
			OccurredAt: ptr("2026-11-01T11:30:00+01:00"), Actor: ptr("on-call engineer")})
		if err != nil {
			t.Fatal(err)
		}
		if !moved.OccurredAt.Equal(time.Date(2026, 11, 1, 10, 30, 0, 0, time.UTC)) || moved.Person != nil || moved.Actor != "on-call engineer" ||
			moved.Body != "rolled back" || !moved.UpdatedAt.After(b.UpdatedAt) || !moved.CreatedAt.Equal(b.CreatedAt) {
			t.Fatalf("moved = %+v", moved)
		}
		if got := order(); !slices.Equal(got, []string{a.ID, c.ID, b.ID}) {
			t.Fatalf("order after move = %v, want a c b", got)
		}
		// Setting a person clears the actor.
		back := must[events.TimelineEntry](t)(fx.svc.UpdateTimelineEntry(ctx, fx.facil, d.ID, b.ID, events.TimelineEntryPatch{PersonID: ptr(lee)}))
		if back.Person == nil || back.Person.ID != lee || back.Actor != "" {
			t.Fatalf("back = %+v", back)
		}

		bad := []struct {
			name   string
			in     events.TimelineEntryInput
			fields []string
		}{
			{"no offset", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00", Body: "x", Kind: events.TimelineAction}, []string{"occurred_at"}},
			{"empty body", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Body: "  ", Kind: events.TimelineAction}, []string{"body"}},
			{"long body", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Body: strings.Repeat("b", 4001), Kind: events.TimelineAction}, []string{"body"}},
			{"kind", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Body: "x", Kind: "root_cause"}, []string{"kind"}},
			{"ftp link", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Body: "x", Kind: events.TimelineAction, SourceURL: "ftp://x/y"}, []string{"source_url"}},
			{"unknown person", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Body: "x", Kind: events.TimelineAction, PersonID: "0195e1b2-0000-7000-8000-000000000000"}, []string{"person_id"}},
			{"person and actor", events.TimelineEntryInput{OccurredAt: "2026-11-01T09:00:00Z", Body: "x", Kind: events.TimelineAction, PersonID: lee, Actor: "someone"}, []string{"actor"}},
		}
		for _, c := range bad {
			_, err := fx.svc.AddTimelineEntry(ctx, fx.facil, d.ID, c.in)
			t.Run(c.name, func(t *testing.T) { wantFields(t, err, c.fields...) })
		}
		if _, err := fx.svc.AddTimelineEntry(ctx, fx.facil, d.ID, events.TimelineEntryInput{
			OccurredAt: "2026-11-01T09:00:00Z", Body: strings.Repeat("b", 4000), Kind: events.TimelineAction}); err != nil {
			t.Fatalf("4000-character body: %v", err)
		}
		_, err = fx.svc.UpdateTimelineEntry(ctx, fx.facil, d.ID, a.ID, events.TimelineEntryPatch{Body: ptr(""), SourceURL: ptr("javascript:alert(1)")})
		wantFields(t, err, "body", "source_url")

		// Entries are addressed through their own event only.
		other := fx.event("Other")
		if err := fx.svc.DeleteTimelineEntry(ctx, fx.facil, other.ID, a.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("delete via other event: %v", err)
		}
		if err := fx.svc.DeleteTimelineEntry(ctx, fx.facil, d.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.DeleteTimelineEntry(ctx, fx.facil, d.ID, a.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("second delete: %v", err)
		}
		if got := order(); len(got) != 3 || slices.Contains(got, a.ID) {
			t.Fatalf("after delete = %v", got)
		}
		if _, err := fx.svc.UpdateTimelineEntry(ctx, fx.facil, d.ID, "junk", events.TimelineEntryPatch{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("malformed entry id: %v", err)
		}
		// Recording on the timeline counts as a change to the event.
		after := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		if !after.UpdatedAt.After(d.UpdatedAt) {
			t.Fatalf("event updated_at not touched: %v", after.UpdatedAt)
		}
	})
}

func TestInvolvements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		lee, sam := fx.person("Lee Chen"), fx.person("Sam Park", inactive())
		d := fx.event("Involvements")

		inv, err := fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{PersonID: lee, Role: events.RoleResponder, Note: " first on call "})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Person.ID != lee || inv.Person.Name != "Lee Chen" || inv.Role != events.RoleResponder || inv.Note != "first on call" {
			t.Fatalf("involvement = %+v", inv)
		}
		// Same person, same role: conflict, naming them.
		_, err = fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{PersonID: lee, Role: events.RoleResponder})
		if e := wantCode(t, err, apperr.Conflict); !strings.Contains(e.Message, "Lee Chen") {
			t.Fatalf("message = %q", e.Message)
		}
		// Another role for the same person, and an inactive person, are fine:
		// people who have left were still involved.
		expert := must[events.Involvement](t)(fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{PersonID: lee, Role: events.RoleExpert}))
		must[events.Involvement](t)(fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{PersonID: sam, Role: events.RoleNoticed}))

		_, err = fx.svc.UpdateInvolvement(ctx, fx.facil, d.ID, expert.ID, events.InvolvementPatch{Role: ptr(events.RoleResponder)})
		wantCode(t, err, apperr.Conflict)
		up := must[events.Involvement](t)(fx.svc.UpdateInvolvement(ctx, fx.facil, d.ID, expert.ID,
			events.InvolvementPatch{Role: ptr(events.RoleOwner), Note: ptr("owns the service")}))
		if up.Role != events.RoleOwner || up.Note != "owns the service" || up.Person.Name != "Lee Chen" {
			t.Fatalf("updated = %+v", up)
		}
		// Re-saving the same role is not a duplicate of itself.
		must[events.Involvement](t)(fx.svc.UpdateInvolvement(ctx, fx.facil, d.ID, up.ID, events.InvolvementPatch{Role: ptr(events.RoleOwner)}))

		_, err = fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{})
		wantFields(t, err, "person_id", "role")
		_, err = fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{PersonID: "0195e1b2-0000-7000-8000-000000000000", Role: "hero", Note: strings.Repeat("n", 2001)})
		wantFields(t, err, "person_id", "role", "note")
		_, err = fx.svc.UpdateInvolvement(ctx, fx.facil, d.ID, up.ID, events.InvolvementPatch{Note: ptr(strings.Repeat("n", 2001))})
		wantFields(t, err, "note")

		got := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		var roles []string
		for _, i := range got.Involvements {
			roles = append(roles, i.Person.Name+":"+string(i.Role))
		}
		if !slices.Equal(roles, []string{"Lee Chen:responder", "Lee Chen:owner", "Sam Park:noticed"}) || got.Counts.Involvements != 3 {
			t.Fatalf("involvements = %v (count %d)", roles, got.Counts.Involvements)
		}

		if err := fx.svc.DeleteInvolvement(ctx, fx.facil, d.ID, inv.ID); err != nil {
			t.Fatal(err)
		}
		// Once deleted, the role can be recorded again.
		must[events.Involvement](t)(fx.svc.AddInvolvement(ctx, fx.facil, d.ID, events.InvolvementInput{PersonID: lee, Role: events.RoleResponder}))
		if err := fx.svc.DeleteInvolvement(ctx, fx.facil, d.ID, inv.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("delete twice: %v", err)
		}
	})
}

func TestReferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		d := fx.event("References")

		r, err := fx.svc.AddReference(ctx, fx.facil, d.ID, events.ReferenceInput{URL: " https://grafana.example.com:3000/d/abc ", Kind: events.RefDashboard})
		if err != nil {
			t.Fatal(err)
		}
		if r.URL != "https://grafana.example.com:3000/d/abc" || r.Label != "grafana.example.com" || r.Kind != events.RefDashboard {
			t.Fatalf("reference = %+v", r)
		}
		pr := must[events.Reference](t)(fx.svc.AddReference(ctx, fx.facil, d.ID, events.ReferenceInput{URL: "HTTP://git.example.com/pr/7", Label: " Fix PR ", Kind: events.RefPullRequest}))
		if pr.Label != "Fix PR" {
			t.Fatalf("label = %q", pr.Label)
		}

		bad := []struct {
			name   string
			in     events.ReferenceInput
			fields []string
		}{
			{"missing url", events.ReferenceInput{Kind: events.RefOther}, []string{"url"}},
			{"ftp", events.ReferenceInput{URL: "ftp://files.example.com/x", Kind: events.RefOther}, []string{"url"}},
			{"no host", events.ReferenceInput{URL: "https:///path", Kind: events.RefOther}, []string{"url"}},
			{"relative", events.ReferenceInput{URL: "/runbooks/db", Kind: events.RefOther}, []string{"url"}},
			{"not a url", events.ReferenceInput{URL: "http://[::1", Kind: events.RefOther}, []string{"url"}},
			{"long label", events.ReferenceInput{URL: "https://x.example.com", Label: strings.Repeat("l", 201), Kind: events.RefOther}, []string{"label"}},
			{"kind", events.ReferenceInput{URL: "https://x.example.com", Kind: "wiki"}, []string{"kind"}},
		}
		for _, c := range bad {
			_, err := fx.svc.AddReference(ctx, fx.facil, d.ID, c.in)
			t.Run(c.name, func(t *testing.T) { wantFields(t, err, c.fields...) })
		}

		up := must[events.Reference](t)(fx.svc.UpdateReference(ctx, fx.facil, d.ID, pr.ID, events.ReferencePatch{Label: ptr(""), URL: ptr("https://code.example.com/pr/8")}))
		if up.Label != "code.example.com" || up.URL != "https://code.example.com/pr/8" || up.Kind != events.RefPullRequest {
			t.Fatalf("updated = %+v", up)
		}
		_, err = fx.svc.UpdateReference(ctx, fx.facil, d.ID, pr.ID, events.ReferencePatch{URL: ptr("mailto:a@b.c")})
		wantFields(t, err, "url")

		if err := fx.svc.DeleteReference(ctx, fx.facil, d.ID, r.ID); err != nil {
			t.Fatal(err)
		}
		got := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		if len(got.References) != 1 || got.References[0].ID != pr.ID || got.References[0].Label != "code.example.com" || got.Counts.References != 1 {
			t.Fatalf("references = %+v", got.References)
		}
	})
}

func TestWarnings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		sam := fx.person("Sam Park", managedBy(dana))
		lee := fx.person("Lee Chen", managedBy(dana))
		kim := fx.person("Kim Ito") // not managed by Dana
		d := fx.event("Warned", func(in *events.EventInput) { in.InvestigatorID = dana })
		quiet := fx.event("Quiet", func(in *events.EventInput) { in.InvestigatorID = kim })

		if got := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID)); len(got.Warnings) != 0 {
			t.Fatalf("warnings before involvements = %v", got.Warnings)
		}
		fx.involve(d.ID, kim, events.RoleResponder)
		lc := fx.involve(d.ID, lee, events.RoleAffected)
		fx.involve(d.ID, sam, events.RoleResponder)
		fx.involve(d.ID, sam, events.RoleNoticed) // the same person twice is named once
		fx.involve(d.ID, dana, events.RoleIncidentCommander)
		fx.involve(quiet.ID, dana, events.RoleResponder) // Dana is not investigating this one
		fx.involve(quiet.ID, lee, events.RoleResponder)

		got := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		want := []events.Warning{
			{Code: events.WarnInvestigatorWasResponder, Message: "Dana Ortiz is investigating and was also incident commander on this event; " +
				"an investigator who was not part of the response can ask fresher questions, and people often say more to them."},
			{Code: events.WarnInvestigatorManagesInvolved, Message: "Dana Ortiz manages Lee Chen and Sam Park, who are involved; " +
				"an investigator outside the reporting line hears more."},
		}
		if !slices.Equal(got.Warnings, want) {
			t.Fatalf("warnings =\n%+v\nwant\n%+v", got.Warnings, want)
		}
		if q := must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, quiet.ID)); len(q.Warnings) != 0 {
			t.Fatalf("quiet event warnings = %v", q.Warnings)
		}

		// Lists carry the same warnings.
		list := must[events.EventList](t)(fx.svc.List(ctx, fx.admin, events.ListFilter{}, pageOf(10)))
		byTitle := map[string]events.Event{}
		for _, e := range list.Items {
			byTitle[e.Title] = e
		}
		if !slices.Equal(byTitle["Warned"].Warnings, want) || len(byTitle["Quiet"].Warnings) != 0 {
			t.Fatalf("list warnings = %v / %v", byTitle["Warned"].Warnings, byTitle["Quiet"].Warnings)
		}

		// Warnings follow the record: drop Lee and the message changes.
		if err := fx.svc.DeleteInvolvement(ctx, fx.facil, d.ID, lc.ID); err != nil {
			t.Fatal(err)
		}
		got = must[events.EventDetail](t)(fx.svc.Get(ctx, fx.admin, d.ID))
		if len(got.Warnings) != 2 || got.Warnings[1].Message != "Dana Ortiz manages Sam Park, who is involved; an investigator outside the reporting line hears more." {
			t.Fatalf("after removing Lee: %+v", got.Warnings)
		}
		// A different investigator clears both.
		got = must[events.EventDetail](t)(fx.svc.Update(ctx, fx.facil, d.ID, events.EventPatch{InvestigatorID: ptr(lee)}))
		if len(got.Warnings) != 0 {
			t.Fatalf("after changing investigator: %+v", got.Warnings)
		}
		// A plain responder role gets its own wording.
		got = must[events.EventDetail](t)(fx.svc.Update(ctx, fx.facil, quiet.ID, events.EventPatch{InvestigatorID: ptr(lee)}))
		if !slices.Equal(codes(got.Warnings), []string{events.WarnInvestigatorWasResponder}) ||
			!strings.HasPrefix(got.Warnings[0].Message, "Lee Chen is investigating and was also a responder on this event;") {
			t.Fatalf("responder warning = %+v", got.Warnings)
		}
	})
}

package guides_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/guides"
)

func TestCompose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		base := fx.builtin("responder-chat")
		addOn := fx.builtin("change-addon")
		custom := fx.create("Our add-on", func(in *guides.GuideInput) {
			in.Kind = guides.KindChangeAddOn
			in.Content.SuggestedMinutes = 10
		})

		r := must[guides.Rendered](t)(fx.svc.Compose(ctx, fx.member, "responder-chat", []string{addOn.ID, custom.Slug}))
		if r.Guide != (guides.VersionRef{GuideID: base.ID, Version: 1}) || len(r.AddOns) != 2 || r.AddOns[1].GuideID != custom.ID {
			t.Fatalf("pinned versions: %+v %+v", r.Guide, r.AddOns)
		}
		if len(r.Parts) != 3 || r.Parts[1].Title != addOn.Title || r.Parts[2].Title != "Our add-on" {
			t.Fatalf("parts: %d", len(r.Parts))
		}
		if r.Parts[0].Intro != "" || r.Parts[1].Intro != addOn.Content.Opener {
			t.Fatal("an add-on's opener leads into its part; the base's opener is the guide's")
		}
		if r.Opener != base.Content.Opener || r.Closer != base.Content.Closer {
			t.Fatal("the composed guide opens and closes with the base guide")
		}
		if want := base.Content.SuggestedMinutes + addOn.Content.SuggestedMinutes + 10; r.SuggestedMinutes != want {
			t.Fatalf("minutes = %d, want %d", r.SuggestedMinutes, want)
		}
		n := 0
		for _, p := range r.Parts {
			for _, q := range p.Questions {
				n++
				if q.Number != n {
					t.Fatalf("question numbers are not continuous: %d at %d", q.Number, n)
				}
			}
		}
		if want := len(base.Content.Questions) + len(addOn.Content.Questions) + 3; n != want {
			t.Fatalf("%d questions, want %d", n, want)
		}
		// Placeholders stay as written until rendered for an event.
		if !strings.Contains(r.Opener, "{{event.title}}") {
			t.Fatal("Compose filled placeholders")
		}

		wantFields(t, must2(fx.svc.Compose(ctx, fx.member, addOn.ID, nil)), "guide_id")
		wantFields(t, must2(fx.svc.Compose(ctx, fx.member, base.ID, []string{"learn-session"})), "add_on_ids[0]")
		wantFields(t, must2(fx.svc.Compose(ctx, fx.member, base.ID, []string{addOn.ID, addOn.ID})), "add_on_ids[1]")
		wantFields(t, must2(fx.svc.Compose(ctx, fx.member, "nope", []string{"also-nope"})), "guide_id", "add_on_ids[0]")
		wantFields(t, must2(fx.svc.Compose(ctx, fx.member, "", nil)), "guide_id")
		wantFields(t, must2(fx.svc.Compose(ctx, fx.member, base.ID, []string{"a", "b", "c", "d", "e", "f"})),
			"add_on_ids", "add_on_ids[0]", "add_on_ids[1]", "add_on_ids[2]", "add_on_ids[3]", "add_on_ids[4]")
	})
}

func TestRenderFillsPlaceholdersFromTheEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		dana := fx.person("Dana Okafor", "America/New_York")
		ev := must[events.EventDetail](t)(fx.events.Create(ctx, fx.facil, events.EventInput{
			Title: "Checkout latency spike", Kind: events.KindNearMiss, StartedAt: "2026-11-02T14:30:00Z"}))
		for _, e := range []events.TimelineEntryInput{
			{OccurredAt: "2026-11-02T14:31:00Z", Actor: "pager", Body: "p95 latency above 2s", Kind: events.TimelineObservation},
			{OccurredAt: "2026-11-02T14:35:00Z", PersonID: dana, Body: "Rolling back the cache change now", Kind: events.TimelineAction},
		} {
			must[events.TimelineEntry](t)(fx.events.AddTimelineEntry(ctx, fx.facil, ev.ID, e))
		}
		c := sampleContent()
		c.Opener = "Hi {{person.name}}, I'm {{facilitator.name}}. We're looking at {{event.title}}, a {{event.kind}} that started {{event.started_at}}."
		c.Questions[0].Text = "You wrote {{timeline.2}}. What was happening for you then?"
		c.Questions[1].Probes = []string{"What about {{timeline.9}}?"}
		g := fx.create("Placeholders", func(in *guides.GuideInput) { in.Content = c })

		r := must[guides.Rendered](t)(fx.svc.Render(ctx, fx.facil, guides.RenderInput{
			GuideID: g.ID, EventID: ev.ID, PersonID: dana, AddOnIDs: []string{"change-addon"}}))
		wantOpener := "Hi Dana Okafor, I'm Facilitator User. We're looking at Checkout latency spike, a near miss that started Monday 2 November 2026, 09:30 EST."
		if r.Opener != wantOpener {
			t.Fatalf("opener:\n got %q\nwant %q", r.Opener, wantOpener)
		}
		if got := r.Parts[0].Questions[0].Text; got != "You wrote “Rolling back the cache change now”. What was happening for you then?" {
			t.Fatalf("timeline quote: %q", got)
		}
		if got := r.Parts[0].Questions[1].Probes[0]; got != "What about timeline entry 9 (not recorded yet)?" {
			t.Fatalf("missing timeline entry: %q", got)
		}
		if !strings.Contains(r.Parts[1].Intro, "Checkout latency spike") {
			t.Fatalf("add-on intro not filled: %q", r.Parts[1].Intro)
		}
		if !slices.Equal(r.Missing, []string{"timeline.9"}) {
			t.Fatalf("missing = %v", r.Missing)
		}
		if r.Event == nil || r.Event.ID != ev.ID || r.Person == nil || r.Person.Name != "Dana Okafor" || r.Timezone != "America/New_York" {
			t.Fatalf("render context: %+v %+v %s", r.Event, r.Person, r.Timezone)
		}

		// An explicit zone wins over the person's.
		r = must[guides.Rendered](t)(fx.svc.Render(ctx, fx.facil, guides.RenderInput{
			GuideID: g.ID, EventID: ev.ID, PersonID: dana, Timezone: "Asia/Kolkata"}))
		if !strings.Contains(r.Opener, "Monday 2 November 2026, 20:00 IST") {
			t.Fatalf("zone: %q", r.Opener)
		}

		// Without an event or person every placeholder reads naturally.
		r = must[guides.Rendered](t)(fx.svc.Render(ctx, fx.facil, guides.RenderInput{GuideID: g.ID}))
		if r.Opener != "Hi the person you are talking with, I'm Facilitator User. We're looking at the event, a event that started when it started." {
			t.Fatalf("fallbacks: %q", r.Opener)
		}
		wantMissing := []string{"event.kind", "event.started_at", "event.title", "person.name", "timeline.2", "timeline.9"}
		if !slices.Equal(r.Missing, wantMissing) {
			t.Fatalf("missing = %v, want %v", r.Missing, wantMissing)
		}
		if strings.Contains(r.Opener, "{{") {
			t.Fatal("placeholder left in a rendered guide")
		}

		// Rendering for an event needs the event to be visible: a member
		// who takes no part in it gets the same answer as for no event.
		wantFields(t, must2(fx.svc.Render(ctx, fx.member, guides.RenderInput{GuideID: g.ID, EventID: ev.ID})), "event_id")
		wantFields(t, must2(fx.svc.Render(ctx, fx.leader, guides.RenderInput{GuideID: g.ID, EventID: ev.ID})), "event_id")
		// ... and a member involved in it may.
		must[events.Involvement](t)(fx.events.AddInvolvement(ctx, fx.facil, ev.ID, events.InvolvementInput{PersonID: dana, Role: events.RoleResponder}))
		involved := fx.user("member", dana)
		must[guides.Rendered](t)(fx.svc.Render(ctx, involved, guides.RenderInput{GuideID: g.ID, EventID: ev.ID}))

		wantFields(t, must2(fx.svc.Render(ctx, fx.facil, guides.RenderInput{
			GuideID: g.ID, EventID: "not-an-id", PersonID: "00000000-0000-0000-0000-000000000000",
			Timezone: "Mars/Olympus", Version: 9})), "event_id", "person_id", "timezone", "version")
		wantFields(t, must2(fx.svc.Render(ctx, fx.facil, guides.RenderInput{GuideID: g.ID, Timezone: "Local"})), "timezone")
		wantFields(t, must2(fx.svc.Render(ctx, fx.facil, guides.RenderInput{GuideID: g.ID, Version: -1})), "version")

		// A pinned older version renders as it was.
		in := saveInput(g)
		in.Content.Opener = "Changed."
		must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, g.ID, in))
		r = must[guides.Rendered](t)(fx.svc.Render(ctx, fx.facil, guides.RenderInput{GuideID: g.ID, Version: 1}))
		if r.Guide.Version != 1 || !strings.HasPrefix(r.Opener, "Hi ") {
			t.Fatalf("version 1 rendered as %d: %q", r.Guide.Version, r.Opener)
		}
	})
}

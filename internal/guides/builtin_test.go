package guides_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/guides"
	"github.com/debrief-dev/debrief/internal/pagination"
)

// methodCoverage traces every point method.md lists for a guide kind to the
// built-in question that covers it, so removing or renaming one fails here.
var methodCoverage = map[string]map[string]string{
	"responder-chat": {
		"wellbeing first": "wellbeing",
		"how it reached them and what they were doing":       "how-it-reached-you",
		"what they thought was happening and what told them": "first-picture",
		"where they looked":                         "where-you-looked",
		"their own messages at key moments":         "key-messages",
		"explanations considered and dropped":       "explanations-dropped",
		"when the picture came into focus":          "came-into-focus",
		"usual vs unusual actions":                  "usual-and-unusual",
		"finding and reaching help":                 "finding-help",
		"what was hard to get":                      "hard-to-get",
		"what worried them":                         "worries",
		"how much worse and what kept it from that": "how-bad-it-could-get",
		"surprises":                   "surprises",
		"whether they felt supported": "support",
	},
	"non-responder-chat": {
		"how it came onto their radar":      "on-your-radar",
		"what normal looks like":            "what-normal-looks-like",
		"what they watch that others don't": "what-you-watch",
		"what they did or chose not to do":  "did-and-held-back",
		"where it would have gone":          "where-it-was-heading",
		"luck vs something to count on":     "luck-or-dependable",
		"earlier similar cases":             "earlier-cases",
		"who else knows this area":          "who-else-knows",
		"unwritten habits":                  "unwritten-habits",
		"pressures":                         "pressures",
	},
	"learn-session": {
		"connections to the work":                            "connections",
		"how the work gets done on a good day":               "good-day",
		"what was different":                                 "what-was-different",
		"gaps between procedure and practice":                "procedure-and-practice",
		"what makes the work hard":                           "what-makes-it-hard",
		"what people do to make it work":                     "making-it-work",
		"what helped":                                        "what-helped",
		"fears for next time":                                "fears-for-next-time",
		"knowledge held by one or two people":                "knowledge-with-few",
		"how information travels between doers and deciders": "information-flow",
		"surprises for each level":                           "surprises-by-level",
		"one-sentence learnings":                             "one-sentence",
		"unknowns":                                           "unknowns",
	},
	"improve-session": {
		"what stayed with people":                    "what-stayed",
		"new information":                            "new-information",
		"which parked ideas still make sense":        "parked-ideas",
		"what each addresses":                        "what-it-addresses",
		"which strengths to reinforce":               "strengths",
		"new risks a change brings":                  "new-risks",
		"owners":                                     "owners",
		"smallest version and how to tell it helped": "smallest-version",
		"whether it is enough":                       "is-it-enough",
		"support needed from above":                  "support-from-above",
		"what to keep doing":                         "keep-doing",
		"who should hear":                            "who-should-hear",
	},
	"change-addon": {
		"purpose and origin of the change":               "change-purpose",
		"how confidence is usually built":                "building-confidence",
		"how this path differed":                         "path-differed",
		"pipeline signals and how much they are trusted": "pipeline-signals",
		"review":                     "review",
		"timing pressures":           "timing-pressures",
		"how the effect was noticed": "effect-noticed",
		"options to back out":        "backing-out",
		"touchy areas":               "touchy-areas",
		"past uneventful changes":    "past-uneventful-changes",
	},
	"game-day": {
		"imagine the future write-up":           "future-write-up",
		"first signs":                           "first-signs",
		"least-understood parts":                "least-understood",
		"single-person tasks":                   "single-person-tasks",
		"current protections":                   "current-protections",
		"what responders would need":            "responder-needs",
		"pressures":                             "pressures",
		"assumptions":                           "assumptions",
		"what the exercise injects and expects": "inject-and-expect",
		"how to stop safely":                    "stop-safely",
		"what went right unplanned":             "went-right-unplanned",
	},
}

// minutes bounds each kind's suggested length (method.md, process defaults).
var minutes = map[guides.Kind][2]int{
	guides.KindResponderChat:    {20, 60},
	guides.KindNonResponderChat: {20, 60},
	guides.KindLearnSession:     {120, 120},
	guides.KindImproveSession:   {60, 90},
	guides.KindChangeAddOn:      {5, 20},
	guides.KindGameDay:          {60, 120},
}

func TestBuiltinsLoadAndAreComplete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		list := must[guides.GuideList](t)(fx.svc.List(t.Context(), fx.member, guides.ListFilter{Builtin: "true"}, pagination.Page{}))
		if len(list.Items) != len(methodCoverage) {
			t.Fatalf("got %d built-ins, want %d", len(list.Items), len(methodCoverage))
		}
		kinds := map[guides.Kind]bool{}
		for _, g := range list.Items {
			kinds[g.Kind] = true
			if !g.Builtin || g.CurrentVersion != 1 || g.Archived || g.AddOn != (g.Kind == guides.KindChangeAddOn) {
				t.Errorf("%s: unexpected metadata %+v", g.Slug, g)
			}
		}
		for _, k := range guides.Kinds() {
			if !kinds[k] {
				t.Errorf("no built-in guide of kind %s", k)
			}
		}
		for slug, points := range methodCoverage {
			g := fx.builtin(slug)
			c := g.Content
			ids := questionIDs(c.Questions)
			for point, id := range points {
				if !slices.Contains(ids, id) {
					t.Errorf("%s: method point %q should be covered by question %q", slug, point, id)
				}
			}
			for i, q := range c.Questions {
				if n := len(q.Probes); n < 1 || n > 2 {
					t.Errorf("%s question %d (%s): %d probes, want 1 or 2", slug, i+1, q.ID, n)
				}
				if len(q.Sections) == 0 {
					t.Errorf("%s question %d (%s): feeds no section", slug, i+1, q.ID)
				}
				for _, s := range q.Sections {
					if !slices.Contains(guides.Sections(), s) {
						t.Errorf("%s question %d: unknown section %q", slug, i+1, s)
					}
				}
			}
			// The opener covers consent to record and who sees the notes,
			// that off the record is fine, that this is not about
			// corrective actions, and that several perspectives are sought.
			op := strings.ToLower(c.Opener)
			for _, want := range []string{"record", "notes", "off the record", "corrective actions", "perspective"} {
				if !strings.Contains(op, want) {
					t.Errorf("%s: opener does not mention %q", slug, want)
				}
			}
			// The closer asks who else to talk to and what to include or
			// leave out.
			cl := strings.ToLower(c.Closer)
			for _, want := range []string{"talk to", "write-up", "left out"} {
				if !strings.Contains(cl, want) {
					t.Errorf("%s: closer does not mention %q", slug, want)
				}
			}
			if b := minutes[g.Kind]; c.SuggestedMinutes < b[0] || c.SuggestedMinutes > b[1] {
				t.Errorf("%s: suggested %d minutes, want %d-%d", slug, c.SuggestedMinutes, b[0], b[1])
			}
		}
		// Wellbeing comes first in a responder chat.
		if first := fx.builtin("responder-chat").Content.Questions[0]; !slices.Contains(first.Sections, guides.SectionWellbeing) {
			t.Errorf("responder chat starts with %q, want a wellbeing question", first.Text)
		}
	})
}

func TestEnsureBuiltinsIsIdempotentAndVersionsChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		fx.ensureBuiltins() // again: nothing changes
		before := fx.builtin("responder-chat")
		if before.CurrentVersion != 1 {
			t.Fatalf("after two runs responder chat is at version %d, want 1", before.CurrentVersion)
		}
		entries := must[[]audit.Entry](t)(audit.List(ctx, db.Gorm, "guide", before.ID))
		if len(entries) != 1 {
			t.Fatalf("audit entries after two runs = %d, want 1 (install only)", len(entries))
		}

		// Ship a release whose responder chat changed and whose game-day
		// guide is gone.
		files := fstest.MapFS{}
		for slug := range methodCoverage {
			exp := must[guides.Export](t)(fx.svc.Export(ctx, fx.admin, slug, 0, guides.FormatJSON))
			var doc guides.Document
			if err := json.Unmarshal(exp.Body, &doc); err != nil {
				t.Fatal(err)
			}
			doc.Source = nil
			if slug == "responder-chat" {
				doc.Questions[1].Text = "How did this first reach you?"
			}
			if slug == "game-day" {
				continue
			}
			b, _ := json.Marshal(doc)
			files["builtin/"+slug+".json"] = &fstest.MapFile{Data: b}
		}
		next := newFixtureOn(t, fx, guides.WithBuiltins(files))
		for range 2 {
			if err := next.svc.EnsureBuiltins(ctx); err != nil {
				t.Fatal(err)
			}
		}
		after := next.builtin("responder-chat")
		if after.CurrentVersion != 2 || after.Content.Questions[1].Text != "How did this first reach you?" {
			t.Fatalf("changed built-in: version %d, question %q", after.CurrentVersion, after.Content.Questions[1].Text)
		}
		v1 := must[guides.GuideVersion](t)(next.svc.GetVersion(ctx, fx.member, before.ID, 1))
		if v1.Content.Questions[1].Text != before.Content.Questions[1].Text {
			t.Fatalf("version 1 changed in place: %q", v1.Content.Questions[1].Text)
		}
		if g := next.builtin("learn-session"); g.CurrentVersion != 1 {
			t.Fatalf("unchanged built-in moved to version %d", g.CurrentVersion)
		}
		if g := next.builtin("game-day"); !g.Archived {
			t.Fatal("a built-in no longer shipped should be archived")
		}
		// Shipping it again brings it back without a new version.
		fx.ensureBuiltins()
		if g := fx.builtin("game-day"); g.Archived || g.CurrentVersion != 1 {
			t.Fatalf("restored built-in: archived %v, version %d", g.Archived, g.CurrentVersion)
		}
	})
}

// newFixtureOn makes a second service on the same database and users.
func newFixtureOn(t *testing.T, fx *fixture, opts ...guides.Option) *fixture {
	t.Helper()
	cp := *fx
	cp.svc = guides.NewService(fx.db.Gorm, fx.events, fx.people, opts...)
	return &cp
}

func TestBrokenBuiltinFileIsReported(t *testing.T) {
	db := dbtest.New(t, config.SQLite)
	bad := fstest.MapFS{"builtin/broken.json": &fstest.MapFile{Data: []byte(
		`{"format":"debrief-guide/1","title":"","kind":"responder_chat","opener":"o","closer":"c","suggested_minutes":30,"questions":[]}`)}}
	fx := newFixture(t, db, guides.WithBuiltins(bad))
	err := fx.svc.EnsureBuiltins(t.Context())
	if err == nil || !strings.Contains(err.Error(), "broken.json") || !strings.Contains(err.Error(), "title") {
		t.Fatalf("EnsureBuiltins with a broken file: %v", err)
	}
}

// Several serve processes may start at once on one PostgreSQL database;
// each runs EnsureBuiltins, and together they install every guide once.
func TestEnsureBuiltinsConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		errs := make(chan error, 4)
		for range 4 {
			go func() { errs <- newFixtureOn(t, fx).svc.EnsureBuiltins(t.Context()) }()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatalf("concurrent EnsureBuiltins: %v", err)
			}
		}
		list := must[guides.GuideList](t)(fx.svc.List(t.Context(), fx.member, guides.ListFilter{Builtin: "true"}, pagination.Page{}))
		if len(list.Items) != len(methodCoverage) {
			t.Fatalf("%d built-ins after concurrent installs", len(list.Items))
		}
		for _, g := range list.Items {
			if g.CurrentVersion != 1 {
				t.Fatalf("%s at version %d", g.Slug, g.CurrentVersion)
			}
		}
	})
}

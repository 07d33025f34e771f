package guides_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/guides"
	"github.com/debrief-dev/debrief/internal/pagination"
)

func TestBuiltinGuidesAreReadOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		g := fx.builtin("responder-chat")
		in := saveInput(g)
		in.Title = "Mine now"
		e := wantCode(t, must2(fx.svc.Save(t.Context(), fx.admin, g.ID, in)), apperr.Conflict)
		if !strings.Contains(e.Message, "copy it first") {
			t.Errorf("message %q does not say to copy it first", e.Message)
		}
		wantCode(t, must2(fx.svc.SetArchived(t.Context(), fx.admin, g.ID, true)), apperr.Conflict)
		if got := fx.builtin("responder-chat"); got.CurrentVersion != 1 || got.Title != g.Title {
			t.Fatalf("built-in changed: %+v", got.Guide)
		}
	})
}

// must2 keeps only the error of a (value, error) pair.
func must2[T any](_ T, err error) error { return err }

// Copy → edit → versions 1, 2, 3; each earlier version reads back exactly
// as it was saved, and the database itself refuses to change one.
func TestVersioning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		src := fx.builtin("responder-chat")

		cp := must[guides.GuideDetail](t)(fx.svc.Copy(ctx, fx.facil, "responder-chat", guides.CopyInput{}))
		if cp.Builtin || cp.CurrentVersion != 1 || cp.Title != "Copy of Responder chat" || cp.ID == src.ID {
			t.Fatalf("copy: %+v", cp.Guide)
		}
		if cp.CopiedFrom == nil || *cp.CopiedFrom != (guides.VersionRef{GuideID: src.ID, Version: 1}) {
			t.Fatalf("copied_from = %+v", cp.CopiedFrom)
		}
		if !reflect.DeepEqual(cp.Content, src.Content) {
			t.Fatal("a copy should start with the source's content, question ids included")
		}
		v1 := must[guides.GuideVersion](t)(fx.svc.GetVersion(ctx, fx.member, cp.ID, 1))

		in := saveInput(cp)
		in.Title = "Payments responder chat"
		in.Content.Questions[0].Text = "How are you doing after the payments outage?"
		in.Note = "Tuned for payments"
		g2 := must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, cp.ID, in))
		if g2.CurrentVersion != 2 || g2.Title != "Payments responder chat" {
			t.Fatalf("after first save: version %d title %q", g2.CurrentVersion, g2.Title)
		}
		in = saveInput(g2)
		in.BaseVersion = 2
		in.Content.SuggestedMinutes = 50
		g3 := must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.admin, cp.ID, in))
		if g3.CurrentVersion != 3 || g3.Content.SuggestedMinutes != 50 {
			t.Fatalf("after second save: %+v", g3.Guide)
		}

		// Version 1 is untouched by both saves.
		again := must[guides.GuideVersion](t)(fx.svc.GetVersion(ctx, fx.leader, cp.ID, 1))
		if !reflect.DeepEqual(again, v1) {
			t.Fatalf("version 1 changed:\nbefore %+v\nafter  %+v", v1, again)
		}
		v2 := must[guides.GuideVersion](t)(fx.svc.GetVersion(ctx, fx.facil, cp.ID, 2))
		if v2.Note != "Tuned for payments" || v2.Content.SuggestedMinutes != 45 || v2.Title != "Payments responder chat" {
			t.Fatalf("version 2: %+v", v2)
		}
		list := must[[]guides.VersionSummary](t)(fx.svc.Versions(ctx, fx.member, cp.ID))
		var nums []int
		for _, v := range list {
			nums = append(nums, v.Version)
		}
		if !slices.Equal(nums, []int{3, 2, 1}) {
			t.Fatalf("versions = %v", nums)
		}

		// Saving what is already current adds nothing.
		same := must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, cp.ID, saveInput(g3)))
		if same.CurrentVersion != 3 {
			t.Fatalf("a no-op save moved to version %d", same.CurrentVersion)
		}
		// An edit started from an older version is a conflict, not a
		// silent overwrite.
		stale := saveInput(g3)
		stale.BaseVersion = 2
		stale.Content.Closer = "Anything else?"
		e := wantCode(t, must2(fx.svc.Save(ctx, fx.facil, cp.ID, stale)), apperr.Conflict)
		if len(e.Fields) != 1 || e.Fields[0].Field != "base_version" {
			t.Fatalf("stale save fields = %+v", e.Fields)
		}

		// The database refuses to change or remove a version.
		if err := db.Gorm.Exec("UPDATE guide_versions SET content = ? WHERE guide_id = ? AND version = 1", "{}", cp.ID).Error; err == nil {
			t.Fatal("the database allowed a version to be updated")
		}
		if err := db.Gorm.Exec("DELETE FROM guide_versions WHERE guide_id = ? AND version = 1", cp.ID).Error; err == nil {
			t.Fatal("the database allowed a version to be deleted")
		}
		if err := db.Gorm.Exec("UPDATE guide_versions SET created_by = NULL WHERE guide_id = ?", cp.ID).Error; err != nil {
			t.Fatalf("clearing created_by (as deleting a user does) must stay possible: %v", err)
		}

		actions := []string{}
		for _, en := range must[[]audit.Entry](t)(audit.List(ctx, db.Gorm, "guide", cp.ID)) {
			actions = append(actions, en.Action)
		}
		if want := []string{guides.AuditCopied, guides.AuditVersionSaved, guides.AuditVersionSaved}; !slices.Equal(actions, want) {
			t.Fatalf("audit = %v, want %v", actions, want)
		}
	})
}

// Reordering, adding and removing questions keeps every remaining
// question's id; new questions get fresh ones.
func TestQuestionIDsAreStable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		g := fx.create("Stable ids")
		in := saveInput(g)
		qs := in.Content.Questions // first, second, third
		in.Content.Questions = []guides.Question{
			qs[2],
			{Text: "What helped?", Probes: []string{"Who helped?"}, Sections: []guides.Section{"mit"}},
			qs[0],
		}
		in.Content.Questions[2].Probes = append(slices.Clone(qs[0].Probes), "  ", "What did you set aside?")
		g2 := must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, g.ID, in))
		ids := questionIDs(g2.Content.Questions)
		if ids[0] != "third" || ids[2] != "first" || !strings.HasPrefix(ids[1], "q-") {
			t.Fatalf("ids after reorder/add/remove = %v", ids)
		}
		if got := g2.Content.Questions[1].Sections; !slices.Equal(got, []guides.Section{guides.SectionMitigators}) {
			t.Fatalf("section codes are normalized to upper case, got %v", got)
		}
		if got := g2.Content.Questions[2].Probes; !slices.Equal(got, []string{"What were you doing?", "What did you set aside?"}) {
			t.Fatalf("blank probes are dropped, got %q", got)
		}
		// Saving again keeps the generated id.
		in = saveInput(g2)
		in.Content.Questions[1].Text = "What helped most?"
		g3 := must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, g.ID, in))
		if g3.Content.Questions[1].ID != ids[1] {
			t.Fatalf("generated id changed from %s to %s", ids[1], g3.Content.Questions[1].ID)
		}
		// Two questions cannot share an id.
		in = saveInput(g3)
		in.Content.Questions[1].ID = "third"
		wantFields(t, must2(fx.svc.Save(ctx, fx.facil, g.ID, in)), "content.questions[1].id")
	})
}

func TestDiff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		g := fx.create("Diffed")
		// v1: first, second, third
		in := saveInput(g)
		qs := in.Content.Questions
		changed := qs[1]
		changed.Text = "What did you look at, first and next?"
		changed.Sections = []guides.Section{"NAR"}
		added := guides.Question{ID: "fourth", Text: "What worried you?", Probes: []string{"How?"}, Sections: []guides.Section{"RSK"}}
		// v2: third (dragged to the top), second (changed), fourth (added); first removed
		in.Content.Questions = []guides.Question{qs[2], changed, added}
		in.Content.Opener = "Hello again."
		in.Content.SuggestedMinutes = 40
		must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, g.ID, in))

		d := must[guides.Diff](t)(fx.svc.Diff(ctx, fx.member, g.ID, 1, 2))
		if d.From != 1 || d.To != 2 || d.Title != nil || d.Closer != nil {
			t.Fatalf("diff header: %+v", d)
		}
		if d.Opener == nil || d.Opener.To != "Hello again." || d.SuggestedMinutes == nil || d.SuggestedMinutes.From != 30 {
			t.Fatalf("opener/minutes change: %+v %+v", d.Opener, d.SuggestedMinutes)
		}
		q := d.Questions
		if len(q.Added) != 1 || q.Added[0].Question.ID != "fourth" || q.Added[0].Position != 3 {
			t.Fatalf("added = %+v", q.Added)
		}
		if len(q.Removed) != 1 || q.Removed[0].Question.ID != "first" || q.Removed[0].Position != 1 {
			t.Fatalf("removed = %+v", q.Removed)
		}
		if len(q.Changed) != 1 || q.Changed[0].ID != "second" || !slices.Equal(q.Changed[0].Fields, []string{"text", "sections"}) {
			t.Fatalf("changed = %+v", q.Changed)
		}
		// second and third swapped relative order; the longest run that
		// kept its order has length 1, so exactly one of them moved.
		if len(q.Moved) != 1 {
			t.Fatalf("moved = %+v", q.Moved)
		}

		// Defaults: the previous version against the current one.
		def := must[guides.Diff](t)(fx.svc.Diff(ctx, fx.member, g.ID, 0, 0))
		if def.From != 1 || def.To != 2 {
			t.Fatalf("default diff %d→%d", def.From, def.To)
		}
		// A question dragged to the top of a longer list is one move.
		in = saveInput(must[guides.GuideDetail](t)(fx.svc.Get(ctx, fx.facil, g.ID)))
		in.Content.Questions = append(in.Content.Questions,
			guides.Question{ID: "fifth", Text: "What else?", Probes: []string{"Anything?"}},
			guides.Question{ID: "sixth", Text: "Who else?", Probes: []string{"Anyone?"}})
		must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, g.ID, in))
		last := in.Content.Questions[len(in.Content.Questions)-1]
		in.Content.Questions = append([]guides.Question{last}, in.Content.Questions[:len(in.Content.Questions)-1]...)
		must[guides.GuideDetail](t)(fx.svc.Save(ctx, fx.facil, g.ID, in))
		d = must[guides.Diff](t)(fx.svc.Diff(ctx, fx.member, g.ID, 3, 4))
		if len(d.Questions.Moved) != 1 || d.Questions.Moved[0] != (guides.QuestionMove{ID: "sixth", From: 5, To: 1}) {
			t.Fatalf("drag to top: moved = %+v", d.Questions.Moved)
		}
		if len(d.Questions.Added)+len(d.Questions.Removed)+len(d.Questions.Changed) != 0 {
			t.Fatalf("drag to top changed more than the order: %+v", d.Questions)
		}

		wantFields(t, must2(fx.svc.Diff(ctx, fx.member, g.ID, 9, 1)), "from")
		wantFields(t, must2(fx.svc.Diff(ctx, fx.member, g.ID, 1, -1)), "to")
	})
}

func TestArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		g := fx.create("Old guide")
		a := must[guides.GuideDetail](t)(fx.svc.SetArchived(ctx, fx.facil, g.ID, true))
		if !a.Archived {
			t.Fatal("not archived")
		}
		list := must[guides.GuideList](t)(fx.svc.List(ctx, fx.facil, guides.ListFilter{}, pagination.Page{}))
		if len(list.Items) != 0 {
			t.Fatalf("archived guide listed by default: %+v", list.Items)
		}
		list = must[guides.GuideList](t)(fx.svc.List(ctx, fx.facil, guides.ListFilter{Archived: guides.ArchivedOnly}, pagination.Page{}))
		if len(list.Items) != 1 {
			t.Fatalf("archived=true lists %d", len(list.Items))
		}
		wantCode(t, must2(fx.svc.Save(ctx, fx.facil, g.ID, saveInput(g))), apperr.Conflict)
		// Still readable and usable, for chats that used it.
		must[guides.Rendered](t)(fx.svc.Render(ctx, fx.member, guides.RenderInput{GuideID: g.ID}))
		u := must[guides.GuideDetail](t)(fx.svc.SetArchived(ctx, fx.facil, g.ID, false))
		if u.Archived {
			t.Fatal("still archived")
		}
	})
}

func TestListFiltersAndPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		fx.create("Alpha chat")
		fx.create("beta chat")
		fx.create("Zulu add-on", func(in *guides.GuideInput) { in.Kind = guides.KindChangeAddOn })

		all := must[guides.GuideList](t)(fx.svc.List(ctx, fx.member, guides.ListFilter{}, pagination.Page{}))
		if len(all.Items) != 9 || !all.Items[0].Builtin || all.Items[6].Title != "Alpha chat" || all.Items[7].Title != "beta chat" {
			var titles []string
			for _, g := range all.Items {
				titles = append(titles, g.Title)
			}
			t.Fatalf("order = %v", titles)
		}
		var seen []string
		page := pagination.Page{Limit: 2}
		for range 10 {
			res := must[guides.GuideList](t)(fx.svc.List(ctx, fx.member, guides.ListFilter{}, page))
			for _, g := range res.Items {
				seen = append(seen, g.ID)
			}
			if res.NextCursor == "" {
				break
			}
			page.Cursor = res.NextCursor
		}
		var want []string
		for _, g := range all.Items {
			want = append(want, g.ID)
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("paging gave %d guides in another order than one page of all", len(seen))
		}

		addOns := must[guides.GuideList](t)(fx.svc.List(ctx, fx.member, guides.ListFilter{AddOn: "true"}, pagination.Page{}))
		if len(addOns.Items) != 2 {
			t.Fatalf("add-ons = %d", len(addOns.Items))
		}
		custom := must[guides.GuideList](t)(fx.svc.List(ctx, fx.member, guides.ListFilter{Builtin: "false", Kind: guides.KindResponderChat}, pagination.Page{}))
		if len(custom.Items) != 2 {
			t.Fatalf("custom responder chats = %d", len(custom.Items))
		}
		q := must[guides.GuideList](t)(fx.svc.List(ctx, fx.member, guides.ListFilter{Q: "BETA"}, pagination.Page{}))
		if len(q.Items) != 1 || q.Items[0].Title != "beta chat" || q.Items[0].QuestionCount != 3 || q.Items[0].SuggestedMinutes != 30 {
			t.Fatalf("q=BETA: %+v", q.Items)
		}
		pct := must[guides.GuideList](t)(fx.svc.List(ctx, fx.member, guides.ListFilter{Q: "%"}, pagination.Page{}))
		if len(pct.Items) != 0 {
			t.Fatalf("q=%% matched %d guides; wildcards must match themselves", len(pct.Items))
		}

		wantFields(t, must2(fx.svc.List(ctx, fx.member, guides.ListFilter{Kind: "chat"}, pagination.Page{})), "kind")
		wantFields(t, must2(fx.svc.List(ctx, fx.member, guides.ListFilter{Builtin: "yes", Archived: "maybe"}, pagination.Page{})),
			"builtin", "archived")
		wantFields(t, must2(fx.svc.List(ctx, fx.member, guides.ListFilter{}, pagination.Page{Cursor: "garbage"})), "cursor")
		wantFields(t, must2(fx.svc.List(ctx, fx.member, guides.ListFilter{}, pagination.Page{Cursor: pagination.Encode("0", "x", "not-a-uuid")})), "cursor")
		wantFields(t, must2(fx.svc.List(ctx, fx.member, guides.ListFilter{}, pagination.Page{Limit: 500})), "limit")
	})
}

func TestAuthorization(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		g := fx.create("Team guide")
		addOn := fx.builtin("change-addon")
		for _, a := range []actor.Actor{fx.member, fx.leader} {
			t.Run(string(a.Role), func(t *testing.T) {
				// Everyone signed in may read.
				must[guides.GuideList](t)(fx.svc.List(ctx, a, guides.ListFilter{}, pagination.Page{}))
				must[guides.GuideDetail](t)(fx.svc.Get(ctx, a, g.ID))
				must[[]guides.VersionSummary](t)(fx.svc.Versions(ctx, a, g.ID))
				must[guides.GuideVersion](t)(fx.svc.GetVersion(ctx, a, g.ID, 1))
				must[guides.Diff](t)(fx.svc.Diff(ctx, a, g.ID, 1, 1))
				must[guides.Export](t)(fx.svc.Export(ctx, a, g.ID, 0, guides.FormatMarkdown))
				must[guides.Rendered](t)(fx.svc.Compose(ctx, a, g.ID, []string{addOn.ID}))
				must[guides.Rendered](t)(fx.svc.Render(ctx, a, guides.RenderInput{GuideID: g.ID}))
				must[guides.Export](t)(fx.svc.PDF(ctx, a, guides.RenderInput{GuideID: g.ID}))
				// Nobody but admins and facilitators may write.
				wantCode(t, must2(fx.svc.Create(ctx, a, guides.GuideInput{Title: "x", Kind: guides.KindGameDay, Content: sampleContent()})), apperr.Forbidden)
				wantCode(t, must2(fx.svc.Save(ctx, a, g.ID, saveInput(g))), apperr.Forbidden)
				wantCode(t, must2(fx.svc.Copy(ctx, a, g.ID, guides.CopyInput{})), apperr.Forbidden)
				wantCode(t, must2(fx.svc.SetArchived(ctx, a, g.ID, true)), apperr.Forbidden)
				wantCode(t, must2(fx.svc.Import(ctx, a, guides.FormatJSON, []byte(`{}`))), apperr.Forbidden)
			})
		}
		// Without a role (not signed in) nothing is readable.
		wantCode(t, must2(fx.svc.Get(ctx, actor.Actor{}, g.ID)), apperr.Forbidden)
		wantCode(t, must2(fx.svc.List(ctx, actor.Actor{Role: "guest"}, guides.ListFilter{}, pagination.Page{})), apperr.Forbidden)
		// Admins and facilitators may.
		must[guides.GuideDetail](t)(fx.svc.Copy(ctx, fx.admin, g.ID, guides.CopyInput{Title: "Admin copy"}))
	})
}

func TestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		wantFields(t, must2(fx.svc.Create(ctx, fx.facil, guides.GuideInput{})),
			"title", "kind", "content.opener", "content.closer", "content.questions", "content.suggested_minutes")

		long := strings.Repeat("x", 1001)
		c := sampleContent()
		c.Questions[0].Text = "  "
		c.Questions[1].Text = long
		c.Questions[1].Probes = []string{"a", "b", "c", "d", "e", "f"}
		c.Questions[2].Sections = []guides.Section{"NAR", "XYZ"}
		c.Questions[2].ID = "Has Spaces"
		c.SuggestedMinutes = 1000
		msgs := wantFields(t, must2(fx.svc.Create(ctx, fx.facil, guides.GuideInput{Title: "t", Kind: "chat", Content: c})),
			"kind", "content.questions[0].text", "content.questions[1].text", "content.questions[1].probes",
			"content.questions[2].sections[1]", "content.questions[2].id", "content.suggested_minutes")
		if !strings.Contains(msgs["content.questions[2].sections[1]"], `"XYZ" is not a section`) {
			t.Errorf("section message: %q", msgs["content.questions[2].sections[1]"])
		}

		too := sampleContent()
		for len(too.Questions) <= 100 {
			too.Questions = append(too.Questions, guides.Question{Text: "How?"})
		}
		wantFields(t, must2(fx.svc.Create(ctx, fx.facil, guides.GuideInput{Title: "t", Kind: guides.KindGameDay, Content: too})),
			"content.questions")

		g := fx.create("Real")
		wantCode(t, must2(fx.svc.Get(ctx, fx.member, "no-such-guide")), apperr.NotFound)
		wantCode(t, must2(fx.svc.Get(ctx, fx.member, "../../etc/passwd")), apperr.NotFound)
		wantCode(t, must2(fx.svc.Get(ctx, fx.member, "00000000-0000-0000-0000-000000000000")), apperr.NotFound)
		wantFields(t, must2(fx.svc.GetVersion(ctx, fx.member, g.ID, 0)), "version")
		wantCode(t, must2(fx.svc.GetVersion(ctx, fx.member, g.ID, 7)), apperr.NotFound)
		wantCode(t, must2(fx.svc.Copy(ctx, fx.facil, g.ID, guides.CopyInput{Version: 7})), apperr.NotFound)
		wantFields(t, must2(fx.svc.Copy(ctx, fx.facil, g.ID, guides.CopyInput{Version: -1})), "version")
		wantFields(t, must2(fx.svc.Copy(ctx, fx.facil, g.ID, guides.CopyInput{Title: strings.Repeat("t", 201)})), "title")
		wantFields(t, must2(fx.svc.Export(ctx, fx.member, g.ID, -2, guides.FormatJSON)), "version")
		if _, err := guides.ParseFormat("pdf"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("ParseFormat(pdf) = %v", err)
		}
		in := saveInput(g)
		in.BaseVersion = -1
		wantFields(t, must2(fx.svc.Save(ctx, fx.facil, g.ID, in)), "base_version")
		wantCode(t, must2(fx.svc.Save(ctx, fx.facil, "nope", saveInput(g))), apperr.NotFound)
	})
}

func TestUnknownPlaceholdersAreRejected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		c := sampleContent()
		c.Questions[1].Text = "What did {{event.owner}} say?"
		c.Questions[2].Probes = []string{"What about {{ timeline.0 }}?"}
		c.Opener = "Hello {{person.name"
		msgs := wantFields(t, must2(fx.svc.Create(ctx, fx.facil, guides.GuideInput{Title: "t", Kind: guides.KindGameDay, Content: c})),
			"content.questions[1].text", "content.questions[2].probes[0]", "content.opener")
		if m := msgs["content.questions[1].text"]; !strings.Contains(m, "question 2") || !strings.Contains(m, "{{event.owner}}") ||
			!strings.Contains(m, "{{event.title}}") {
			t.Errorf("message should name the question, the placeholder and the known ones: %q", m)
		}
		if m := msgs["content.opener"]; !strings.Contains(m, "no closing }}") {
			t.Errorf("opener message: %q", m)
		}
		// Every documented placeholder is accepted, spaces inside the
		// braces included.
		ok := sampleContent()
		ok.Questions[0].Text = "{{ event.title }} {{event.kind}} {{event.started_at}} {{person.name}} {{facilitator.name}} {{timeline.12}}?"
		must[guides.GuideDetail](t)(fx.svc.Create(ctx, fx.facil, guides.GuideInput{Title: "ok", Kind: guides.KindGameDay, Content: ok}))
	})
}

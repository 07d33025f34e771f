package guides

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/events"
)

// Fallback texts for placeholders without data. They read naturally in a
// sentence, so a guide printed before the event is known still makes sense.
const (
	fallbackEventTitle  = "the event"
	fallbackEventKind   = "event"
	fallbackStartedAt   = "when it started"
	fallbackPersonName  = "the person you are talking with"
	fallbackFacilitator = "the facilitator"
)

// Compose joins a base guide's current version with add-ons: the base's
// opener, its questions, then one part per add-on (its opener as a lead-in,
// then its questions), and the base's closer. Placeholders are left as
// written.
func (s *Service) Compose(ctx context.Context, a actor.Actor, baseRef string, addOnRefs []string) (Rendered, error) {
	if err := canRead(a); err != nil {
		return Rendered{}, err
	}
	return s.compose(ctx, baseRef, 0, addOnRefs)
}

type loaded struct {
	g guideRow
	v GuideVersion
}

func (s *Service) compose(ctx context.Context, baseRef string, version int, addOnRefs []string) (Rendered, error) {
	var f apperr.Fields
	base, err := s.load(ctx, &f, "guide_id", baseRef, version)
	if err != nil {
		return Rendered{}, err
	}
	if base != nil && base.g.AddOn {
		f.Add("guide_id", "%q is an add-on; choose a base guide and add it with add_on_ids", base.g.Title)
	}
	if len(addOnRefs) > maxAddOns {
		f.Add("add_on_ids", "at most %d add-ons", maxAddOns)
		addOnRefs = addOnRefs[:maxAddOns]
	}
	var addOns []loaded
	seen := map[string]bool{}
	for i, ref := range addOnRefs {
		field := fmt.Sprintf("add_on_ids[%d]", i)
		ad, err := s.load(ctx, &f, field, ref, 0)
		if err != nil {
			return Rendered{}, err
		}
		if ad == nil {
			continue
		}
		switch {
		case !ad.g.AddOn:
			f.Add(field, "%q is not an add-on; add-ons are guides of kind %s", ad.g.Title, KindChangeAddOn)
		case seen[ad.g.ID]:
			f.Add(field, "%q is listed twice", ad.g.Title)
		default:
			seen[ad.g.ID] = true
			addOns = append(addOns, *ad)
		}
	}
	if err := f.Err(); err != nil {
		return Rendered{}, err
	}

	out := Rendered{
		Guide:  VersionRef{GuideID: base.g.ID, Version: base.v.Version},
		AddOns: []VersionRef{}, Title: base.v.Title, Kind: base.v.Kind,
		Opener: base.v.Content.Opener, Closer: base.v.Content.Closer,
		SuggestedMinutes: base.v.Content.SuggestedMinutes, Timezone: "UTC", Missing: []string{},
	}
	n := 0
	part := func(l loaded, intro string) Part {
		p := Part{GuideID: l.g.ID, Version: l.v.Version, Title: l.v.Title, Kind: l.v.Kind, Intro: intro,
			Questions: make([]RenderedQuestion, len(l.v.Content.Questions))}
		for i, q := range l.v.Content.Questions {
			n++
			p.Questions[i] = RenderedQuestion{ID: q.ID, Number: n, Text: q.Text,
				Probes: slices.Clone(q.Probes), Sections: slices.Clone(q.Sections)}
		}
		return p
	}
	out.Parts = append(out.Parts, part(*base, ""))
	for _, ad := range addOns {
		out.AddOns = append(out.AddOns, VersionRef{GuideID: ad.g.ID, Version: ad.v.Version})
		out.Parts = append(out.Parts, part(ad, ad.v.Content.Opener))
		out.SuggestedMinutes += ad.v.Content.SuggestedMinutes
	}
	return out, nil
}

// load reads a guide version named in a request body; a guide that does not
// exist is a field error there, not a missing page.
func (s *Service) load(ctx context.Context, f *apperr.Fields, field, ref string, version int) (*loaded, error) {
	if strings.TrimSpace(ref) == "" {
		f.Add(field, "is required")
		return nil, nil
	}
	g, err := findGuide(ctx, s.db, ref)
	if apperr.CodeOf(err) == apperr.NotFound {
		f.Add(field, "no guide %q", ref)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if version < 0 || version > g.CurrentVersion {
		f.Add("version", "must be a version of %q between 1 and %d", g.Title, g.CurrentVersion)
		return nil, nil
	}
	v, err := findVersion(ctx, s.db, g, version)
	if err != nil {
		return nil, err
	}
	gv, err := v.toVersion(Kind(g.Kind))
	if err != nil {
		return nil, err
	}
	return &loaded{g: g, v: gv}, nil
}

// renderContext is the data placeholders are filled from; nil pointers and
// missing timeline entries fall back to readable text.
type renderContext struct {
	event       *events.EventDetail
	personName  string
	facilitator string
	loc         *time.Location
	missing     map[string]bool
}

func (rc *renderContext) value(name string) string {
	miss := func(fallback string) string {
		rc.missing[name] = true
		return fallback
	}
	switch name {
	case PhEventTitle:
		if rc.event == nil || rc.event.Title == "" {
			return miss(fallbackEventTitle)
		}
		return rc.event.Title
	case PhEventKind:
		if rc.event == nil {
			return miss(fallbackEventKind)
		}
		return strings.ReplaceAll(string(rc.event.Kind), "_", " ")
	case PhEventStartedAt:
		if rc.event == nil {
			return miss(fallbackStartedAt)
		}
		return rc.event.StartedAt.In(rc.loc).Format("Monday 2 January 2006, 15:04 MST")
	case PhPersonName:
		if rc.personName == "" {
			return miss(fallbackPersonName)
		}
		return rc.personName
	case PhFacilitatorName:
		if rc.facilitator == "" {
			return miss(fallbackFacilitator)
		}
		return rc.facilitator
	}
	if n, ok := timelineIndex(name); ok {
		if rc.event == nil || n > len(rc.event.Timeline) {
			return miss("timeline entry " + strconv.Itoa(n) + " (not recorded yet)")
		}
		return "“" + cleanLine(rc.event.Timeline[n-1].Body) + "”"
	}
	// Saved guides only hold known placeholders; leave anything else as
	// written rather than guess.
	return "{{" + name + "}}"
}

// Render composes a guide with its add-ons and fills its placeholders from
// an event the caller may see, the person being talked with and the caller
// as facilitator. Without an event, every placeholder gets its fallback.
func (s *Service) Render(ctx context.Context, a actor.Actor, in RenderInput) (Rendered, error) {
	if err := canRead(a); err != nil {
		return Rendered{}, err
	}
	var f apperr.Fields
	rc := &renderContext{facilitator: cleanLine(a.Name), loc: time.UTC, missing: map[string]bool{}}
	var ev *events.EventDetail
	if id := strings.TrimSpace(in.EventID); id != "" {
		d, err := s.events.Get(ctx, a, id)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			// Same words whether the event is missing or hidden from the
			// caller, so the answer does not reveal which.
			f.Add("event_id", "no event with this id that you can see")
		case err != nil:
			return Rendered{}, fmt.Errorf("render guide: %w", err)
		default:
			ev = &d
		}
	}
	rc.event = ev
	var person *PersonRef
	zone := strings.TrimSpace(in.Timezone)
	if id := strings.TrimSpace(in.PersonID); id != "" {
		p, err := s.people.Get(ctx, id)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			f.Add("person_id", "no person with this id")
		case err != nil:
			return Rendered{}, fmt.Errorf("render guide: %w", err)
		default:
			person = &PersonRef{ID: p.ID, Name: p.Name}
			rc.personName = cleanLine(p.Name)
			if zone == "" {
				zone = p.Timezone
			}
		}
	}
	if zone != "" {
		loc, err := time.LoadLocation(zone)
		if err != nil || zone == "Local" {
			f.Add("timezone", "%q is not an IANA time zone such as Europe/Berlin", zone)
		} else {
			rc.loc = loc
		}
	}
	if in.Version < 0 {
		f.Add("version", "must be 1 or more")
		in.Version = 0
	}
	out, err := s.compose(ctx, in.GuideID, in.Version, in.AddOnIDs)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
			for _, fe := range e.Fields {
				f.Add(fe.Field, "%s", fe.Message)
			}
			return Rendered{}, f.Err()
		}
		return Rendered{}, err
	}
	if err := f.Err(); err != nil {
		return Rendered{}, err
	}

	fill := func(s string) string { return fillPlaceholders(s, rc.value) }
	out.Opener, out.Closer = fill(out.Opener), fill(out.Closer)
	for i := range out.Parts {
		p := &out.Parts[i]
		p.Intro = fill(p.Intro)
		for j := range p.Questions {
			q := &p.Questions[j]
			q.Text = fill(q.Text)
			for k := range q.Probes {
				q.Probes[k] = fill(q.Probes[k])
			}
		}
	}
	if ev != nil {
		out.Event = &EventRef{ID: ev.ID, Title: ev.Title, Kind: string(ev.Kind), StartedAt: ev.StartedAt.UTC()}
	}
	out.Person = person
	out.Timezone = rc.loc.String()
	for name := range rc.missing {
		out.Missing = append(out.Missing, name)
	}
	slices.Sort(out.Missing)
	return out, nil
}

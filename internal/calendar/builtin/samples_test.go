package builtin_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/builtin"
	"github.com/debrief-dev/debrief/internal/calendar/ics"
)

// samplesDirEnv names the directory TestExportSamples writes sample .ics
// files to, for validation by a real parser (ical.js in the frontend
// tooling). Unset, the samples are still rendered and checked here, just
// not written.
const samplesDirEnv = "DEBRIEF_ICS_SAMPLES_DIR"

// sampleManifest is what a parser should find in each file, taken from the
// inputs rather than from the output (except the composed description), so
// that an outside parser checks the writer instead of agreeing with it.
type sampleManifest struct {
	File   string        `json:"file"`
	Method string        `json:"method"` // "" for a feed
	Name   string        `json:"name,omitempty"`
	Events []sampleEvent `json:"events"`
}

type sampleEvent struct {
	UID         string           `json:"uid"`
	Sequence    int              `json:"sequence"`
	Status      string           `json:"status"`
	Summary     string           `json:"summary"`
	Description string           `json:"description"`
	Start       time.Time        `json:"start"`
	End         time.Time        `json:"end"`
	Organizer   sampleAttendee   `json:"organizer"`
	Attendees   []sampleAttendee `json:"attendees"`
}

type sampleAttendee struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role,omitempty"`
	PartStat string `json:"partstat,omitempty"`
}

func trickyBooking() builtin.BookingView {
	b := sampleBooking()
	b.BookingID = "0191d7a4-5b2c-7d3e-8f40-0000000000ff"
	b.Title = `Chat: 決済の遅延, "payments"; café ☕ \ 🙂`
	b.Description = strings.Repeat("Ünïcödé text that is long enough to fold several times — 日本語テキスト — ", 4) +
		"\nSecond line; with, separators\\ and a tab\there."
	b.OrganizerName = `García, Ana "AG"`
	b.Attendees[1].Name = "Zoë ^ Kim: on-call"
	return b
}

func manifestFor(file string, m ics.Method, name string, bs []builtin.BookingView, feed bool) sampleManifest {
	out := sampleManifest{File: file, Method: string(m), Name: name}
	for _, b := range bs {
		ev := sampleEvent{
			UID:       builtin.UID(b.BookingID),
			Sequence:  b.Sequence,
			Status:    "CONFIRMED",
			Start:     b.Start.UTC(),
			End:       b.End.UTC(),
			Organizer: sampleAttendee{Name: b.OrganizerName, Email: b.OrganizerEmail},
		}
		ev.Summary = b.Title
		if b.Cancelled {
			ev.Status = "CANCELLED"
			ev.Summary = "Cancelled: " + b.Title
		}
		for _, a := range b.Attendees {
			role, ps := "REQ-PARTICIPANT", "NEEDS-ACTION"
			if a.Optional {
				role = "OPT-PARTICIPANT"
			}
			if feed && a.Response != "" {
				ps = map[string]string{"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE", "needsAction": "NEEDS-ACTION"}[string(a.Response)]
			}
			ev.Attendees = append(ev.Attendees, sampleAttendee{Name: a.Name, Email: a.Email, Role: role, PartStat: ps})
		}
		out.Events = append(out.Events, ev)
	}
	return out
}

// TestExportSamples renders one of each kind of .ics Debrief serves, checks
// them with the strict parser, and, when DEBRIEF_ICS_SAMPLES_DIR is set,
// writes them there with manifest.json describing what each should contain.
func TestExportSamples(t *testing.T) {
	req := sampleBooking()
	upd := sampleBooking()
	upd.Sequence = 1
	upd.Start, upd.End = upd.Start.Add(time.Hour), upd.End.Add(time.Hour)
	upd.Updated = upd.Updated.Add(time.Hour)
	cnc := upd
	cnc.Sequence, cnc.Cancelled = 2, true
	cnc.Updated = cnc.Updated.Add(time.Hour)
	tricky := trickyBooking()
	feed := sampleFeed()

	type sample struct {
		manifest sampleManifest
		render   func() ([]byte, error)
	}
	samples := []sample{
		{manifestFor("request.ics", ics.Request, "", []builtin.BookingView{req}, false),
			func() ([]byte, error) { return builtin.InvitationICS(req, ics.Request) }},
		{manifestFor("update.ics", ics.Request, "", []builtin.BookingView{upd}, false),
			func() ([]byte, error) { return builtin.InvitationICS(upd, ics.Request) }},
		{manifestFor("cancel.ics", ics.Cancel, "", []builtin.BookingView{cnc}, false),
			func() ([]byte, error) { return builtin.InvitationICS(cnc, ics.Cancel) }},
		{manifestFor("tricky.ics", ics.Request, "", []builtin.BookingView{tricky}, false),
			func() ([]byte, error) { return builtin.InvitationICS(tricky, ics.Request) }},
	}
	// The feed's events come out sorted by start.
	sortedFeed := []builtin.BookingView{feed[2], feed[0], feed[1]}
	samples = append(samples, sample{
		manifestFor("feed.ics", "", "Debrief chats: Sam Lee", sortedFeed, true),
		func() ([]byte, error) { return builtin.FeedICS("Sam Lee", feed) },
	})

	dir := os.Getenv(samplesDirEnv)
	var manifest []sampleManifest
	for _, s := range samples {
		out, err := s.render()
		if err != nil {
			t.Fatalf("%s: %v", s.manifest.File, err)
		}
		cal, err := ics.Parse(out)
		if err != nil {
			t.Fatalf("%s: %v", s.manifest.File, err)
		}
		evs := cal.Children("VEVENT")
		if len(evs) != len(s.manifest.Events) {
			t.Fatalf("%s: %d events, want %d", s.manifest.File, len(evs), len(s.manifest.Events))
		}
		for i := range evs {
			me := &s.manifest.Events[i]
			if got := text(t, evs[i], "UID"); got != me.UID {
				t.Errorf("%s event %d: UID %q, want %q", s.manifest.File, i, got, me.UID)
			}
			if got := text(t, evs[i], "SUMMARY"); got != me.Summary {
				t.Errorf("%s event %d: SUMMARY %q, want %q", s.manifest.File, i, got, me.Summary)
			}
			// The description is composed here, so the manifest takes it
			// as the strict parser reads it; an outside parser must agree.
			me.Description = text(t, evs[i], "DESCRIPTION")
		}
		manifest = append(manifest, s.manifest)
		if dir != "" {
			if err := os.WriteFile(filepath.Join(dir, s.manifest.File), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if dir == "" {
		return // an export only: nothing is left unchecked by not writing
	}
	data, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d samples and manifest.json to %s", len(samples), dir)
}

package builtin

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/ics"
)

// Serving .ics over HTTP. Both the invitation download and the feed are
// served as ContentType (an invitation may add "; method=REQUEST" or
// "; method=CANCEL" with InvitationContentType, which some mail and
// calendar clients use to offer accept/decline). The feed URL is a secret,
// so its answer must not be stored by shared caches: FeedCacheControl keeps
// it private, and five minutes is long enough to absorb clients that poll
// eagerly and short enough that a revoked or changed feed is seen soon.
const (
	ContentType      = "text/calendar; charset=utf-8"
	FeedCacheControl = "private, max-age=300"
)

// FeedCancelledRetention is how long a cancelled booking should stay in
// feeds (as STATUS:CANCELLED) after it was cancelled. Subscribers only
// learn of a cancellation by seeing it: a booking that simply vanishes
// stays in the calendars of clients that keep what they saw, and some
// clients poll no more than daily. The bookings layer applies it when it
// chooses which bookings to pass to FeedICS.
const FeedCancelledRetention = 30 * 24 * time.Hour

// InvitationContentType is ContentType with the iTIP method, for a
// downloaded invitation.
func InvitationContentType(m ics.Method) string {
	return ContentType + "; method=" + string(m)
}

// UID is the iCalendar UID of a booking's event. It depends only on the
// booking, so every REQUEST, update and CANCEL about one booking (and its
// entry in every feed) refers to the same event in the reader's calendar.
func UID(bookingID string) string { return bookingID + "@debrief" }

// BookingView is what the .ics helpers need to know about a booking.
type BookingView struct {
	BookingID   string
	Title       string
	Description string
	Start, End  time.Time
	// Organizer is who attendees reply to, and who they tell if they would
	// rather not take part.
	OrganizerName  string
	OrganizerEmail string
	Attendees      []BookingAttendee
	Cancelled      bool
	// Sequence is the booking's revision: 0 when booked, raised by every
	// reschedule or change of details and by the cancellation.
	Sequence int
	VideoURL string
	// Updated is when the booking last changed; it becomes DTSTAMP and
	// LAST-MODIFIED, so the same revision always renders the same bytes.
	Updated time.Time
}

// BookingAttendee is one invited person.
type BookingAttendee struct {
	Name     string
	Email    string
	Optional bool
	// Response is shown in feeds; invitations always ask afresh.
	Response calendar.Response
}

// Method is the iTIP method for the booking's current state: CANCEL once it
// is cancelled, REQUEST otherwise.
func (b BookingView) Method() ics.Method {
	if b.Cancelled {
		return ics.Cancel
	}
	return ics.Request
}

// InvitationICS renders the invitation for a booking: m is ics.Request for a
// new or changed booking and ics.Cancel for a cancelled one (b.Method()
// picks it). A method that contradicts b.Cancelled is an error rather than
// a guess, since a stray CANCEL would remove a live chat from people's
// calendars.
func InvitationICS(b BookingView, m ics.Method) ([]byte, error) {
	if m != b.Method() {
		return nil, fmt.Errorf("builtin: booking %s: %w: method %s does not fit a booking that is %s",
			b.BookingID, ics.ErrInvalid, m, state(b))
	}
	ev, err := event(b, false)
	if err != nil {
		return nil, err
	}
	out, err := ics.Invitation(m, ev)
	if err != nil {
		return nil, fmt.Errorf("builtin: booking %s: %w", b.BookingID, err)
	}
	return out, nil
}

// FeedICS renders a person's subscription feed from the bookings they are
// in, ordered by start time. Pass recently cancelled bookings too (see
// FeedCancelledRetention) so that subscribers drop them.
func FeedICS(personName string, bookings []BookingView) ([]byte, error) {
	sorted := slices.Clone(bookings)
	slices.SortFunc(sorted, func(a, b BookingView) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.BookingID, b.BookingID))
	})
	events := make([]ics.Event, 0, len(sorted))
	for _, b := range sorted {
		ev, err := event(b, true)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	name := "Debrief chats"
	if n := strings.TrimSpace(personName); n != "" {
		name += ": " + n
	}
	out, err := ics.Feed(name, events)
	if err != nil {
		return nil, fmt.Errorf("builtin: feed for %q: %w", personName, err)
	}
	return out, nil
}

func state(b BookingView) string {
	if b.Cancelled {
		return "cancelled"
	}
	return "active"
}

func event(b BookingView, feed bool) (ics.Event, error) {
	if b.BookingID == "" {
		return ics.Event{}, fmt.Errorf("builtin: %w: booking has no id", ics.ErrInvalid)
	}
	ev := ics.Event{
		UID:          UID(b.BookingID),
		Sequence:     b.Sequence,
		Stamp:        b.Updated,
		LastModified: b.Updated,
		Start:        b.Start,
		End:          b.End,
		Summary:      summary(b),
		Description:  description(b, feed),
		Location:     b.VideoURL,
		URL:          b.VideoURL,
		Organizer:    ics.Address{Name: b.OrganizerName, Email: b.OrganizerEmail},
		Status:       ics.Confirmed,
	}
	if b.Cancelled {
		ev.Status = ics.Cancelled
	}
	for _, a := range b.Attendees {
		at := ics.Attendee{
			Address:  ics.Address{Name: a.Name, Email: a.Email},
			Optional: a.Optional,
			PartStat: ics.NeedsAction,
		}
		if feed {
			// A subscribed calendar cannot reply, so no RSVP; showing the
			// answers Debrief knows tells the reader who is coming.
			at.PartStat = partStat(a.Response)
		} else {
			at.RSVP = true
		}
		ev.Attendees = append(ev.Attendees, at)
	}
	return ev, nil
}

func partStat(r calendar.Response) ics.PartStat {
	switch r {
	case calendar.Accepted:
		return ics.Accepted
	case calendar.Declined:
		return ics.Declined
	case calendar.Tentative:
		return ics.Tentative
	}
	return ics.NeedsAction
}

func summary(b BookingView) string {
	title := strings.TrimSpace(b.Title)
	if title == "" {
		title = "Debrief chat"
	}
	if b.Cancelled {
		// Clients that keep showing a cancelled event (or show the CANCEL
		// as a message) should still say so in the one line people read.
		return "Cancelled: " + title
	}
	return title
}

// description is the invitation text in Debrief's voice: it is a chat, it
// is optional, and here is how to say no. In a feed there is no invitation
// to decline, so the way out is telling the organizer.
func description(b BookingView, feed bool) string {
	var parts []string
	if b.Cancelled {
		parts = append(parts, "This chat has been cancelled. There is nothing you need to do. Thank you for making time for it.")
	}
	if d := strings.TrimSpace(b.Description); d != "" {
		parts = append(parts, d)
	}
	if !b.Cancelled {
		parts = append(parts,
			"This is a chat, not an assessment of anyone's work, and it is not where fixes get decided. "+
				"We are talking with several people about how the event looked from where each of them was, "+
				"and your view helps.")
		who := "the organizer"
		if n := strings.TrimSpace(b.OrganizerName); n != "" {
			who = n
		}
		if b.OrganizerEmail != "" {
			who += " (" + b.OrganizerEmail + ")"
		}
		optOut := "It is optional. If you would rather not take part, decline this invitation or tell " + who +
			". You don't need to give a reason. If the time does not suit you, say so and we will find another."
		if feed {
			optOut = "It is optional. If you would rather not take part, tell " + who +
				". You don't need to give a reason. If the time does not suit you, say so and we will find another."
		}
		parts = append(parts, optOut)
		if b.VideoURL != "" {
			parts = append(parts, "Video link: "+b.VideoURL)
		}
	}
	return strings.Join(parts, "\n\n")
}

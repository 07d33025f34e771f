package google

import (
	"context"
	"fmt"
	"time"

	gcal "google.golang.org/api/calendar/v3"

	"github.com/debrief-dev/debrief/internal/calendar"
)

// sendUpdatesAll makes Google email every attendee about the change.
const sendUpdatesAll = "all"

// Create inserts ev on the organizer's calendar under the client-chosen id
// ev.ID, so a retried insert is refused with Exists instead of creating a
// second event. When ev.ID is empty it is derived from ev.BookingID
// (calendar.EventID); likewise ev.ConferenceRequestID
// (calendar.ConferenceRequestID) when a conference solution is configured.
// Attendees are notified (sendUpdates=all). The returned event is Google's
// copy: etag, sequence, attendee responses, and the Meet link once the
// conference is ready — usually not yet right after the insert: a later
// Get shows it.
func (p *Provider) Create(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	ev, err := p.prepare(ev)
	if err != nil {
		return calendar.Event{}, err
	}
	calID := p.calendarID(ev.Organizer)
	body := p.toGoogle(ev)
	body.Id = ev.ID
	got, err := do(ctx, p, opInsert, func(ctx context.Context) (*gcal.Event, error) {
		call := p.svc.Events.Insert(calID, body).SendUpdates(sendUpdatesAll).Context(ctx)
		if p.conference != "" {
			call = call.ConferenceDataVersion(1)
		}
		return call.Do()
	})
	if err != nil {
		return calendar.Event{}, err
	}
	return fromGoogle(calID, got), nil
}

// Get reads an event by id. A cancelled event that Google still keeps is
// returned with Status "cancelled"; one that is gone is NotFound.
func (p *Provider) Get(ctx context.Context, organizer, id string) (calendar.Event, error) {
	if id == "" {
		return calendar.Event{}, permanent("get: empty event id")
	}
	calID := p.calendarID(organizer)
	got, err := do(ctx, p, opGet, func(ctx context.Context) (*gcal.Event, error) {
		return p.svc.Events.Get(calID, id).Context(ctx).Do()
	})
	if err != nil {
		return calendar.Event{}, err
	}
	return fromGoogle(calID, got), nil
}

// Update rewrites the fields Debrief owns — title, description, times,
// attendees, the booking id property and (when configured) the conference
// request — with events.patch, and notifies attendees. patch rather than
// update (PUT) leaves alone what Debrief does not own: a conference Google
// already made, reminders, other extended properties, attendees' answers
// (responseStatus is not sent, so a stale copy cannot reset an answer).
// When ev.ETag is set the write carries If-Match and a changed event is
// Precondition: refetch and reapply.
func (p *Provider) Update(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	ev, err := p.prepare(ev)
	if err != nil {
		return calendar.Event{}, err
	}
	calID := p.calendarID(ev.Organizer)
	body := p.toGoogle(ev)
	// Empty values must still be sent, or patch would keep the old ones.
	body.ForceSendFields = []string{"Summary", "Description", "Attendees"}
	if body.Attendees == nil {
		body.Attendees = []*gcal.EventAttendee{}
	}
	got, err := do(ctx, p, opPatch, func(ctx context.Context) (*gcal.Event, error) {
		call := p.svc.Events.Patch(calID, ev.ID, body).SendUpdates(sendUpdatesAll).Context(ctx)
		if p.conference != "" {
			// The same requestId as at insert: Google ignores a request
			// it has seen, so this adds a link only where none was made.
			call = call.ConferenceDataVersion(1)
		}
		if ev.ETag != "" {
			call.Header().Set("If-Match", ev.ETag)
		}
		return call.Do()
	})
	if err != nil {
		return calendar.Event{}, err
	}
	return fromGoogle(calID, got), nil
}

// Cancel deletes the event (Google keeps it as "cancelled") and notifies
// attendees. An event already deleted (410) or unknown (404) is not an
// error: a retried Cancel whose first reply was lost lands here.
func (p *Provider) Cancel(ctx context.Context, organizer, id string) error {
	if id == "" {
		return permanent("cancel: empty event id")
	}
	calID := p.calendarID(organizer)
	_, err := do(ctx, p, opDelete, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, p.svc.Events.Delete(calID, id).SendUpdates(sendUpdatesAll).Context(ctx).Do()
	})
	if err != nil && calendar.KindOf(err) == calendar.NotFound {
		return nil
	}
	return err
}

// Changes lists the organizer's events changed since syncToken, deleted
// ones included (Status "cancelled", often with little else), recurring
// events expanded, following every page, and returns the token for the
// next call. With syncToken "" it is a full sync of events that end after
// now-SyncWindow. An expired token is Gone: call again with "".
//
// Every event on the calendar is returned, not only Debrief's (Google
// refuses extended-property filters together with a sync token); Debrief's
// have BookingID set.
func (p *Provider) Changes(ctx context.Context, organizer, syncToken string) ([]calendar.Event, string, error) {
	calID := p.calendarID(organizer)
	// Computed once: every page of one listing must ask the same question.
	timeMin := p.now().Add(-p.syncWindow).UTC().Format(time.RFC3339)
	var out []calendar.Event
	pageToken := ""
	for range maxPages {
		res, err := do(ctx, p, opList, func(ctx context.Context) (*gcal.Events, error) {
			call := p.svc.Events.List(calID).ShowDeleted(true).SingleEvents(true).MaxResults(p.pageSize).Context(ctx)
			if syncToken != "" {
				call = call.SyncToken(syncToken)
			} else {
				call = call.TimeMin(timeMin)
			}
			if pageToken != "" {
				call = call.PageToken(pageToken)
			}
			return call.Do()
		})
		if err != nil {
			return nil, "", err
		}
		for _, it := range res.Items {
			if it != nil {
				out = append(out, fromGoogle(calID, it))
			}
		}
		if res.NextPageToken == "" {
			if res.NextSyncToken == "" {
				return nil, "", &calendar.Error{Kind: calendar.Retryable, Err: fmt.Errorf("google %s: last page of %s has no nextSyncToken", opList, calID)}
			}
			return out, res.NextSyncToken, nil
		}
		pageToken = res.NextPageToken
	}
	return nil, "", permanent("%s: %s still has more pages after %d", opList, calID, maxPages)
}

// calendarID is the calendar an event lives on: the organizer given, else
// the delegated user, else the credentials' own primary calendar.
func (p *Provider) calendarID(organizer string) string {
	switch {
	case organizer != "":
		return organizer
	case p.subject != "":
		return p.subject
	}
	return "primary"
}

// prepare fills in the ids derived from the booking and checks what Google
// would refuse anyway, with a clearer message and no request.
func (p *Provider) prepare(ev calendar.Event) (calendar.Event, error) {
	if ev.ID == "" && ev.BookingID != "" {
		ev.ID = calendar.EventID(ev.BookingID)
	}
	if p.conference != "" && ev.ConferenceRequestID == "" && ev.BookingID != "" {
		ev.ConferenceRequestID = calendar.ConferenceRequestID(ev.BookingID)
	}
	switch {
	case ev.ID == "":
		return ev, permanent("event has neither an id nor a booking id")
	case !validEventID(ev.ID):
		return ev, permanent("event id %q is not 5-1024 base32hex characters (a-v, 0-9)", ev.ID)
	case ev.Start.IsZero() || ev.End.IsZero():
		return ev, permanent("event %s has no start or end", ev.ID)
	case !ev.End.After(ev.Start):
		return ev, permanent("event %s ends (%s) before it starts (%s)", ev.ID, ev.End.Format(time.RFC3339), ev.Start.Format(time.RFC3339))
	}
	for i, a := range ev.Attendees {
		if a.Email == "" {
			return ev, permanent("event %s: attendee %d has no email", ev.ID, i)
		}
	}
	return ev, nil
}

// validEventID is Google's rule for client-chosen ids.
func validEventID(id string) bool {
	if len(id) < 5 || len(id) > 1024 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'v') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// toGoogle is the body Debrief writes: the fields it owns, times as UTC
// RFC 3339 date-times.
func (p *Provider) toGoogle(ev calendar.Event) *gcal.Event {
	g := &gcal.Event{
		Summary:     ev.Title,
		Description: ev.Description,
		Start:       &gcal.EventDateTime{DateTime: ev.Start.UTC().Format(time.RFC3339)},
		End:         &gcal.EventDateTime{DateTime: ev.End.UTC().Format(time.RFC3339)},
	}
	for _, a := range ev.Attendees {
		g.Attendees = append(g.Attendees, &gcal.EventAttendee{Email: a.Email, DisplayName: a.Name, Optional: a.Optional})
	}
	if ev.BookingID != "" {
		g.ExtendedProperties = &gcal.EventExtendedProperties{Private: map[string]string{BookingIDProperty: ev.BookingID}}
	}
	if p.conference != "" && ev.ConferenceRequestID != "" {
		g.ConferenceData = &gcal.ConferenceData{CreateRequest: &gcal.CreateConferenceRequest{
			RequestId:             ev.ConferenceRequestID,
			ConferenceSolutionKey: &gcal.ConferenceSolutionKey{Type: p.conference},
		}}
	}
	return g
}

// fromGoogle maps Google's event back. Organizer is the calendar id it was
// read from (what Get and Cancel need), or Google's organizer when that id
// was "primary".
func fromGoogle(calID string, g *gcal.Event) calendar.Event {
	ev := calendar.Event{
		ID:          g.Id,
		Title:       g.Summary,
		Description: g.Description,
		Organizer:   calID,
		Sequence:    int(g.Sequence),
		ETag:        g.Etag,
		Status:      g.Status,
	}
	if calID == "primary" && g.Organizer != nil && g.Organizer.Email != "" {
		ev.Organizer = g.Organizer.Email
	}
	ev.Start = eventTime(g.Start)
	ev.End = eventTime(g.End)
	if t, err := time.Parse(time.RFC3339, g.Updated); err == nil {
		ev.Updated = t.UTC()
	}
	if g.ExtendedProperties != nil {
		ev.BookingID = g.ExtendedProperties.Private[BookingIDProperty]
	}
	for _, a := range g.Attendees {
		if a == nil {
			continue
		}
		ev.Attendees = append(ev.Attendees, calendar.Attendee{
			Email: a.Email, Name: a.DisplayName, Optional: a.Optional, Response: calendar.Response(a.ResponseStatus),
		})
	}
	ev.ConferenceRequestID, ev.MeetURL = conference(g)
	return ev
}

// conference returns the create request's id and the video link, which
// Google fills in only once the request has succeeded (it is "pending"
// for a while after the insert).
func conference(g *gcal.Event) (requestID, meetURL string) {
	cd := g.ConferenceData
	if cd == nil {
		return "", ""
	}
	ready := true
	if cr := cd.CreateRequest; cr != nil {
		requestID = cr.RequestId
		ready = cr.Status == nil || cr.Status.StatusCode == "success"
	}
	if !ready {
		return requestID, ""
	}
	for _, ep := range cd.EntryPoints {
		if ep != nil && ep.EntryPointType == "video" && ep.Uri != "" {
			return requestID, ep.Uri
		}
	}
	return requestID, g.HangoutLink
}

// eventTime reads a start or end: a date-time, or the date of an all-day
// event (midnight in its zone, UTC when the zone is unknown).
func eventTime(dt *gcal.EventDateTime) time.Time {
	if dt == nil {
		return time.Time{}
	}
	if dt.DateTime != "" {
		if t, err := time.Parse(time.RFC3339, dt.DateTime); err == nil {
			return t.UTC()
		}
	}
	if dt.Date != "" {
		loc := time.UTC
		if dt.TimeZone != "" {
			if l, err := time.LoadLocation(dt.TimeZone); err == nil {
				loc = l
			}
		}
		if t, err := time.ParseInLocation(time.DateOnly, dt.Date, loc); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

package bookings

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/calendar"
)

// freeBusyBatch is the most calendars one free/busy query may ask about
// (Google's limit).
const freeBusyBatch = 50

// freeBusyPad widens the free/busy window beyond the bookings checked, so
// a busy block that starts before the first booking is not clipped to
// exactly that booking's start (see busyConflicts).
const freeBusyPad = time.Hour

// SyncResponses reads what changed on Google Calendar for upcoming Google
// bookings (confirmed or needing attention, ending in the future): it
// stores attendees' answers, picks up Meet links that became ready, and
// marks a booking needs_attention when a required attendee declined, the
// event was deleted on the calendar, or a required attendee is now busy at
// that time. The jobs package runs it periodically (SyncArgs).
//
// Changes are read per organizer calendar with the sync token stored in
// calendar_sync_state; an expired token (kind Gone) starts a full sync.
// The answers and the new token are written in one transaction, so a
// crash between them reads the same changes again next time. One
// organizer's failure does not stop the others; the errors are joined.
//
// A needs_attention mark is not lifted by the sync when the cause goes
// away: a person decides (Retry, reschedule or cancel).
func (s *Service) SyncResponses(ctx context.Context) error {
	p, ok := s.providers[ProviderGoogle]
	if !ok {
		return nil
	}
	var rows []bookingRow
	err := s.db.WithContext(ctx).
		Where("provider = ? AND status IN ? AND end_at > ?", ProviderGoogle,
			[]string{string(StatusConfirmed), string(StatusNeedsAttention)}, s.clock()).
		Order("start_at, id").Find(&rows).Error
	if err != nil {
		return fmt.Errorf("sync responses: load bookings: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	var pids []string
	for i, r := range rows {
		ids[i] = r.ID
		pids = append(pids, organizerIDs(r)...)
	}
	atts, err := loadAttendees(ctx, s.db, ids)
	if err != nil {
		return fmt.Errorf("sync responses: %w", err)
	}
	for _, list := range atts {
		for _, a := range list {
			pids = append(pids, a.PersonID)
		}
	}
	people, err := loadPeople(ctx, s.db, pids)
	if err != nil {
		return fmt.Errorf("sync responses: %w", err)
	}

	groups := map[string][]bookingRow{}
	for _, r := range rows {
		org := strings.ToLower(organizerCalendar(r, people))
		groups[org] = append(groups[org], r)
	}
	var errs []error
	deleted := map[string]bool{}
	for _, org := range slices.Sorted(maps.Keys(groups)) {
		if err := s.syncOrganizer(ctx, p, org, groups[org], atts, people, deleted); err != nil {
			errs = append(errs, fmt.Errorf("sync responses of %s: %w", org, err))
		}
	}

	// Answers may have changed above; decide on what is stored now.
	if atts, err = loadAttendees(ctx, s.db, ids); err != nil {
		return errors.Join(append(errs, fmt.Errorf("sync responses: %w", err))...)
	}
	busy, err := s.busyConflicts(ctx, p, rows, atts, people)
	if err != nil {
		// Declines still count; the busy check runs again next time.
		errs = append(errs, fmt.Errorf("sync responses: free/busy: %w", err))
	}
	for _, r := range rows {
		var reasons []string
		var declined []string
		for _, a := range atts[r.ID] {
			if !a.Optional && a.Response == string(ResponseDeclined) {
				declined = append(declined, people[a.PersonID].Name)
			}
		}
		if len(declined) > 0 {
			slices.Sort(declined)
			reasons = append(reasons, listNames(declined)+" declined")
		}
		if deleted[r.ID] {
			reasons = append(reasons, "the event was deleted from "+providerLabel(r.Provider))
		}
		if names := busy[r.ID]; len(names) > 0 {
			verb := "is"
			if len(names) > 1 {
				verb = "are"
			}
			reasons = append(reasons, fmt.Sprintf("%s %s now busy at that time", listNames(names), verb))
		}
		if len(reasons) == 0 {
			continue
		}
		reason := strings.Join(reasons, "; ")
		if r.Status == string(StatusNeedsAttention) && r.AttentionReason == reason {
			continue
		}
		if err := s.flag(ctx, r, reason); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncOrganizer applies one organizer calendar's changes to its bookings.
// Events are matched by id (derived from the booking id) and, failing
// that, by the booking id they carry.
func (s *Service) syncOrganizer(ctx context.Context, p calendar.Provider, org string, rows []bookingRow,
	atts map[string][]attendeeRow, people map[string]personRow, deleted map[string]bool,
) error {
	var state []struct {
		SyncToken string `gorm:"column:sync_token"`
	}
	err := s.db.WithContext(ctx).Table("calendar_sync_state").Select("sync_token").
		Where("organizer = ?", org).Limit(1).Scan(&state).Error
	if err != nil {
		return fmt.Errorf("load sync token: %w", err)
	}
	var token string
	if len(state) > 0 {
		token = state[0].SyncToken
	}
	evs, next, err := p.Changes(ctx, org, token)
	if err != nil && calendar.KindOf(err) == calendar.Gone {
		// The token expired: read everything again.
		evs, next, err = p.Changes(ctx, org, "")
	}
	if err != nil {
		return fmt.Errorf("read changes: %w", err)
	}
	byID := make(map[string]calendar.Event, len(evs))
	byBooking := make(map[string]calendar.Event, len(evs))
	for _, ev := range evs {
		byID[ev.ID] = ev
		if ev.BookingID != "" {
			byBooking[ev.BookingID] = ev
		}
	}
	now := s.clock()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, r := range rows {
			ev, ok := byID[cmp.Or(r.ExternalID, calendar.EventID(r.ID))]
			if !ok {
				if ev, ok = byBooking[r.ID]; !ok {
					continue
				}
			}
			if strings.EqualFold(ev.Status, "cancelled") {
				deleted[r.ID] = true
				continue
			}
			answers := make(map[string]calendar.Response, len(ev.Attendees))
			for _, a := range ev.Attendees {
				answers[strings.ToLower(a.Email)] = a.Response
			}
			for _, a := range atts[r.ID] {
				pr := people[a.PersonID]
				got, ok := answers[strings.ToLower(pr.calendar())]
				if !ok {
					got, ok = answers[strings.ToLower(pr.Email)]
				}
				if !ok || !validResponse(got) || string(got) == a.Response {
					continue
				}
				err := tx.Model(&attendeeRow{}).Where("booking_id = ? AND person_id = ?", r.ID, a.PersonID).
					Updates(map[string]any{"response": string(got), "responded_at": now}).Error
				if err != nil {
					return fmt.Errorf("store answer of %s: %w", pr.Name, err)
				}
			}
			if ev.MeetURL != "" && ev.MeetURL != r.MeetURL {
				err := tx.Model(&bookingRow{}).Where("id = ?", r.ID).Update("meet_url", ev.MeetURL).Error
				if err != nil {
					return fmt.Errorf("store meet link: %w", err)
				}
			}
		}
		err := tx.Exec(`INSERT INTO calendar_sync_state (organizer, sync_token, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (organizer) DO UPDATE SET sync_token = excluded.sync_token, updated_at = excluded.updated_at`,
			org, next, now).Error
		if err != nil {
			return fmt.Errorf("store sync token: %w", err)
		}
		return nil
	})
}

func validResponse(r calendar.Response) bool {
	switch Response(r) {
	case ResponseNeedsAction, ResponseAccepted, ResponseDeclined, ResponseTentative:
		return true
	}
	return false
}

// busyConflicts finds required attendees (who have not declined) whose
// calendar is now busy during their booking, by booking id.
//
// The heuristic: free/busy only says when someone is busy, not why, and
// the booking's own event makes them busy for exactly its time. A busy
// block that overlaps the booking counts as a new conflict unless it is
// entirely explained by the person's own active Debrief bookings (this
// one included). Google merges overlapping and touching blocks, so:
//   - another meeting that merely touches the booking (ends as it starts)
//     merges with it into one larger block and is reported although it
//     does not clash; a person then checks, which is cheap;
//   - a meeting lying entirely inside the booking's time merges into
//     exactly the booking's block and goes unnoticed;
//   - back-to-back Debrief bookings are explained by their holds and are
//     not reported.
//
// Calendars that could not be read are skipped: unknown is not busy.
func (s *Service) busyConflicts(ctx context.Context, p calendar.Provider, rows []bookingRow,
	atts map[string][]attendeeRow, people map[string]personRow,
) (map[string][]string, error) {
	out := map[string][]string{}
	var (
		cals       []string
		pids       []string
		start, end time.Time
	)
	for _, r := range rows {
		for _, a := range atts[r.ID] {
			if a.Optional || a.Response == string(ResponseDeclined) {
				continue
			}
			cals = append(cals, strings.ToLower(people[a.PersonID].calendar()))
			pids = append(pids, a.PersonID)
		}
		if start.IsZero() || r.StartAt.Before(start) {
			start = r.StartAt
		}
		if r.EndAt.After(end) {
			end = r.EndAt
		}
	}
	cals = uniq(cals)
	if len(cals) == 0 {
		return out, nil
	}
	start, end = start.Add(-freeBusyPad).UTC(), end.Add(freeBusyPad).UTC()
	avail := make(map[string]calendar.Availability, len(cals))
	for chunk := range slices.Chunk(cals, freeBusyBatch) {
		got, err := p.FreeBusy(ctx, chunk, start, end)
		if err != nil {
			return nil, err
		}
		for k, v := range got {
			avail[strings.ToLower(k)] = v
		}
	}
	own, err := s.BusyFor(ctx, pids, start, end)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		for _, a := range atts[r.ID] {
			if a.Optional || a.Response == string(ResponseDeclined) {
				continue
			}
			pr := people[a.PersonID]
			av, ok := avail[strings.ToLower(pr.calendar())]
			if !ok || av.Err != nil {
				continue
			}
			for _, b := range av.Busy {
				if b.Start.Before(r.EndAt) && r.StartAt.Before(b.End) && !covered(b, own[a.PersonID]) {
					out[r.ID] = append(out[r.ID], pr.Name)
					break
				}
			}
		}
		slices.Sort(out[r.ID])
	}
	return out, nil
}

// covered reports whether the union of ivs covers all of b.
func covered(b calendar.Interval, ivs []calendar.Interval) bool {
	ivs = slices.Clone(ivs)
	slices.SortFunc(ivs, func(x, y calendar.Interval) int { return x.Start.Compare(y.Start) })
	at := b.Start
	for _, iv := range ivs {
		if !iv.End.After(at) {
			continue
		}
		if iv.Start.After(at) {
			return false
		}
		at = iv.End
		if !at.Before(b.End) {
			return true
		}
	}
	return !at.Before(b.End)
}

// flag marks a booking needs_attention, unless it changed since it was
// read (a reschedule, a cancel or a retry supersedes what was seen).
func (s *Service) flag(ctx context.Context, r bookingRow, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&bookingRow{}).
			Where("id = ? AND revision = ? AND status IN ?", r.ID, r.Revision,
				[]string{string(StatusConfirmed), string(StatusNeedsAttention)}).
			Updates(map[string]any{
				"status": string(StatusNeedsAttention), "attention_reason": reason, "updated_at": s.clock(),
			})
		if res.Error != nil {
			return fmt.Errorf("mark needs attention: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, tx, "", AuditNeedsAttention, auditSubject, r.ID, map[string]string{"reason": reason})
	})
	if err != nil {
		return fmt.Errorf("flag booking %s: %w", r.ID, err)
	}
	return nil
}

// listNames joins names as people write them: "A", "A and B", "A, B and C".
func listNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

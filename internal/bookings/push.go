package bookings

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// maxWriteSteps bounds the create → get → update dance of one push. Each
// step is one provider call; a calendar that keeps answering "changed
// since you read it" makes the push retry later instead of spinning.
const maxWriteSteps = 8

// providerLabel names a provider in sentences for people.
func providerLabel(name string) string {
	switch name {
	case ProviderGoogle:
		return "Google Calendar"
	case ProviderBuiltin:
		return "the built-in calendar"
	}
	return name
}

// errText is the part of a provider error worth showing: the calendar's
// own words, without the classification prefix.
func errText(err error) string {
	var ce *calendar.Error
	if errors.As(err, &ce) && ce.Err != nil {
		return ce.Err.Error()
	}
	return err.Error()
}

// retryAfter is the calendar's Retry-After hint inside err, or zero.
func retryAfter(err error) time.Duration {
	var ce *calendar.Error
	if errors.As(err, &ce) {
		return ce.RetryAfter
	}
	return 0
}

// Push writes the booking's current details to its calendar. The jobs
// package calls it for PushArgs with the job's attempt (1-based) and its
// maximum (0: no maximum). It is idempotent and safe to run twice or
// concurrently with itself:
//
//   - The event id is derived from the booking id, so an insert whose
//     reply was lost is refused the second time (kind Exists); the event
//     is then read and adopted if it carries this booking's id, and
//     updated if its details differ (for instance after a reschedule).
//   - An update refused because the event changed (Precondition) is
//     re-read and re-applied; one whose event vanished (NotFound) is
//     inserted again.
//   - The result is written only if the booking has not changed since it
//     was read; otherwise another push (or a cancel) is enqueued in that
//     same transaction, so the calendar ends with the latest version.
//
// A canceled booking is not written (but an event an earlier attempt may
// have created is cancelled); a failed booking is left for a person, whose
// Retry or edit enqueues a fresh push.
//
// Errors: a *RetryError when the calendar may accept later (After is its
// Retry-After hint); a *GiveUpError once the booking has been marked
// failed (permanent refusal, or the last attempt failed); other errors are
// Debrief's own (database, shutdown) and worth retrying.
func (s *Service) Push(ctx context.Context, bookingID string, attempt, maxAttempts int) error {
	row, p, done, err := s.jobRow(ctx, bookingID)
	if err != nil || done {
		return err
	}
	if row.Status == string(StatusCanceled) {
		// Nothing to write. But if an earlier attempt may have reached the
		// calendar after the cancel job looked (a slow or lost reply), the
		// event could be there now: cancel it again, which is harmless.
		if (row.Attempts == 0 && row.ExternalID == "") || p == nil {
			return nil
		}
		return s.cancelRemote(ctx, p, row, attempt, maxAttempts)
	}
	if row.Status == string(StatusFailed) {
		// A failed booking waits for a person: Retry or an edit makes it
		// pending and enqueues its own push. This job is a leftover.
		return nil
	}
	if row.Status == string(StatusConfirmed) || row.Status == string(StatusNeedsAttention) {
		// Every change that needs writing (reschedule, retry) makes the
		// booking pending again, so a confirmed one is already on the
		// calendar as it stands. This job is a re-run — River runs a job
		// again when its process died before recording it done — and
		// writing again would email every attendee an update for nothing.
		return nil
	}
	if p == nil {
		reason := fmt.Sprintf("%s is not configured on this server; configure it, or cancel this booking and book again on the built-in calendar",
			providerLabel(row.Provider))
		if err := s.markFailed(ctx, row, attempt, reason); err != nil {
			return err
		}
		return &GiveUpError{Err: fmt.Errorf("push booking %s: provider %q not configured", row.ID, row.Provider)}
	}
	// Counting the attempt before calling out lets a later job (and the
	// UI) know the calendar may have been reached.
	err = s.db.WithContext(ctx).Model(&bookingRow{}).Where("id = ? AND revision = ?", row.ID, row.Revision).
		Update("attempts", attempt).Error
	if err != nil {
		return fmt.Errorf("push booking %s: record attempt: %w", row.ID, err)
	}
	ev, err := s.buildEvent(ctx, s.db, row)
	if err != nil {
		return fmt.Errorf("push booking %s: %w", row.ID, err)
	}
	got, err := writeEvent(ctx, p, row, ev)
	if err != nil {
		return s.pushFailed(ctx, row, attempt, maxAttempts, err)
	}
	return s.pushSucceeded(ctx, row, got, attempt)
}

// CancelRemote cancels the booking's event on its calendar. The jobs
// package calls it for CancelArgs. An event that is already gone is fine;
// a booking that is not canceled (a stale job) is left alone.
func (s *Service) CancelRemote(ctx context.Context, bookingID string, attempt, maxAttempts int) error {
	row, p, done, err := s.jobRow(ctx, bookingID)
	if err != nil || done || row.Status != string(StatusCanceled) {
		return err
	}
	if p == nil {
		reason := fmt.Sprintf("Debrief could not cancel the event: %s is not configured on this server; attendees may still see it",
			providerLabel(row.Provider))
		if err := s.noteCancelFailed(ctx, row, reason); err != nil {
			return err
		}
		return &GiveUpError{Err: fmt.Errorf("cancel booking %s: provider %q not configured", row.ID, row.Provider)}
	}
	return s.cancelRemote(ctx, p, row, attempt, maxAttempts)
}

// jobRow loads the booking a job is about and its provider. done is set
// when there is nothing for the job to do: built-in bookings never reach
// another calendar. A booking that does not exist is a give-up: bookings
// are never deleted, so the job's argument is wrong.
func (s *Service) jobRow(ctx context.Context, bookingID string) (bookingRow, calendar.Provider, bool, error) {
	id, ok := idgen.Canonical(bookingID)
	if !ok {
		return bookingRow{}, nil, true, &GiveUpError{Err: fmt.Errorf("booking job: %q is not a booking id", bookingID)}
	}
	row, found, err := loadRow(ctx, s.db, id)
	if err != nil {
		return bookingRow{}, nil, true, err
	}
	if !found {
		return bookingRow{}, nil, true, &GiveUpError{Err: fmt.Errorf("booking job: no booking %s", id)}
	}
	if row.Provider == ProviderBuiltin {
		return row, nil, true, nil
	}
	return row, s.providers[row.Provider], false, nil
}

// buildEvent turns a booking into the event its calendar should hold.
func (s *Service) buildEvent(ctx context.Context, db *gorm.DB, row bookingRow) (calendar.Event, error) {
	atts, err := loadAttendees(ctx, db, []string{row.ID})
	if err != nil {
		return calendar.Event{}, err
	}
	list := atts[row.ID]
	pids := make([]string, 0, len(list)+1)
	for _, a := range list {
		pids = append(pids, a.PersonID)
	}
	if row.OrganizerPersonID != nil {
		pids = append(pids, *row.OrganizerPersonID)
	}
	people, err := loadPeople(ctx, db, pids)
	if err != nil {
		return calendar.Event{}, err
	}
	ev := calendar.Event{
		ID:                  cmp.Or(row.ExternalID, calendar.EventID(row.ID)),
		BookingID:           row.ID,
		Title:               row.Title,
		Description:         row.Description,
		Start:               row.StartAt.UTC(),
		End:                 row.EndAt.UTC(),
		Organizer:           organizerCalendar(row, people),
		ConferenceRequestID: calendar.ConferenceRequestID(row.ID),
		Sequence:            row.Sequence,
		Status:              "confirmed",
	}
	// A stable order keeps repeated pushes byte-for-byte the same.
	slices.SortFunc(list, func(a, b attendeeRow) int { return cmp.Compare(a.PersonID, b.PersonID) })
	for _, a := range list {
		p := people[a.PersonID]
		ev.Attendees = append(ev.Attendees, calendar.Attendee{
			Email: p.calendar(), Name: p.Name, Optional: a.Optional, Response: calendar.Response(a.Response),
		})
	}
	return ev, nil
}

// organizerCalendar is the calendar a booking's event lives on.
func organizerCalendar(row bookingRow, people map[string]personRow) string {
	if row.OrganizerPersonID != nil {
		if p, ok := people[*row.OrganizerPersonID]; ok {
			return p.calendar()
		}
	}
	return row.OrganizerEmail
}

// writeEvent creates or updates ev on p, reconciling with what the
// calendar already holds. See Push for the rules.
func writeEvent(ctx context.Context, p calendar.Provider, row bookingRow, ev calendar.Event) (calendar.Event, error) {
	const (
		opCreate = iota
		opGet
		opUpdate
	)
	op := opCreate
	if row.ExternalID != "" {
		op, ev.ETag = opUpdate, row.ETag
	}
	for range maxWriteSteps {
		switch op {
		case opCreate:
			ev.ETag = ""
			got, err := p.Create(ctx, ev)
			if err != nil && calendar.KindOf(err) == calendar.Exists {
				op = opGet
				continue
			}
			return got, err
		case opGet:
			cur, err := p.Get(ctx, ev.Organizer, ev.ID)
			if err != nil {
				if calendar.KindOf(err) == calendar.NotFound {
					op = opCreate
					continue
				}
				return calendar.Event{}, err
			}
			// The id is derived from this booking's id, so an event under it
			// is ours unless it says otherwise; one that does not carry a
			// booking id (a provider that does not read it back) is adopted.
			if cur.BookingID != "" && cur.BookingID != ev.BookingID {
				return calendar.Event{}, &calendar.Error{Kind: calendar.Permanent,
					Err: fmt.Errorf("the calendar already has an event with id %s that belongs to another booking (%s)", ev.ID, cur.BookingID)}
			}
			if sameDetails(cur, ev) {
				return cur, nil
			}
			ev.ETag = cur.ETag
			ev.Attendees = keepResponses(ev.Attendees, cur.Attendees)
			op = opUpdate
		case opUpdate:
			got, err := p.Update(ctx, ev)
			switch {
			case err == nil:
				return got, nil
			case calendar.KindOf(err) == calendar.Precondition:
				op = opGet
			case calendar.KindOf(err) == calendar.NotFound:
				op = opCreate
			default:
				return calendar.Event{}, err
			}
		}
	}
	return calendar.Event{}, &calendar.Error{Kind: calendar.Retryable,
		Err: errors.New("the calendar event kept changing while Debrief was writing it")}
}

// sameDetails reports whether the calendar's event already says what the
// booking says. Answers are not details: attendees change those.
func sameDetails(cur, want calendar.Event) bool {
	if cur.Title != want.Title || cur.Description != want.Description ||
		!cur.Start.Equal(want.Start) || !cur.End.Equal(want.End) ||
		strings.EqualFold(cur.Status, "cancelled") || len(cur.Attendees) != len(want.Attendees) {
		return false
	}
	have := make(map[string]bool, len(cur.Attendees))
	for _, a := range cur.Attendees {
		have[strings.ToLower(a.Email)] = a.Optional
	}
	for _, a := range want.Attendees {
		opt, ok := have[strings.ToLower(a.Email)]
		if !ok || opt != a.Optional {
			return false
		}
	}
	return true
}

// keepResponses takes each attendee's answer from the calendar, which
// knows it first, so re-applying Debrief's details does not undo an
// answer the sync has not read yet.
func keepResponses(want, cur []calendar.Attendee) []calendar.Attendee {
	byEmail := make(map[string]calendar.Response, len(cur))
	for _, a := range cur {
		if a.Response != "" {
			byEmail[strings.ToLower(a.Email)] = a.Response
		}
	}
	out := slices.Clone(want)
	for i, a := range out {
		if r, ok := byEmail[strings.ToLower(a.Email)]; ok {
			out[i].Response = r
		}
	}
	return out
}

// pushSucceeded records what the calendar now holds. The update only
// applies to the revision that was pushed; if the booking changed (or was
// canceled) meanwhile, the ids are kept but the status is not confirmed,
// and the job that brings the calendar up to date is enqueued here.
func (s *Service) pushSucceeded(ctx context.Context, row bookingRow, got calendar.Event, attempt int) error {
	extID := cmp.Or(got.ID, calendar.EventID(row.ID))
	// A Meet link can take a while to be ready; keep the one we have
	// rather than overwrite it with nothing.
	meet := cmp.Or(got.MeetURL, row.MeetURL)
	seq := max(row.Sequence, got.Sequence)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&bookingRow{}).
			Where("id = ? AND revision = ? AND status <> ?", row.ID, row.Revision, string(StatusCanceled)).
			Updates(map[string]any{
				"status":      gorm.Expr("CASE WHEN status = ? THEN status ELSE ? END", string(StatusNeedsAttention), string(StatusConfirmed)),
				"external_id": extID, "etag": got.ETag, "sequence": seq, "meet_url": meet,
				"attempts": attempt, "last_error": "", "updated_at": s.clock(),
			})
		if res.Error != nil {
			return fmt.Errorf("confirm booking: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return nil
		}
		cur, found, err := loadRow(ctx, tx, row.ID)
		if err != nil || !found {
			return err
		}
		// What the calendar holds is still true: the next job updates this
		// event instead of probing for it.
		err = tx.Model(&bookingRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"external_id": extID, "etag": got.ETag, "meet_url": meet}).Error
		if err != nil {
			return fmt.Errorf("record calendar event: %w", err)
		}
		if cur.Status == string(StatusCanceled) {
			return s.enqueue(ctx, tx, CancelArgs{BookingID: row.ID}, nil)
		}
		return s.enqueue(ctx, tx, PushArgs{BookingID: row.ID}, nil)
	})
	if err != nil {
		return fmt.Errorf("push booking %s: %w", row.ID, err)
	}
	return nil
}

// pushFailed decides what a failed push means for the booking.
func (s *Service) pushFailed(ctx context.Context, row bookingRow, attempt, maxAttempts int, err error) error {
	if ctx.Err() != nil {
		// Shutting down or timed out: not the calendar's fault.
		return fmt.Errorf("push booking %s: %w", row.ID, err)
	}
	label := providerLabel(row.Provider)
	if calendar.KindOf(err) == calendar.Retryable {
		if maxAttempts > 0 && attempt >= maxAttempts {
			reason := fmt.Sprintf("%s kept failing after %d attempts (last answer: %s); use Retry to try again",
				label, attempt, errText(err))
			if merr := s.markFailed(ctx, row, attempt, reason); merr != nil {
				return merr
			}
			return &GiveUpError{Err: fmt.Errorf("push booking %s: %w", row.ID, err)}
		}
		note := fmt.Sprintf("Attempt %d did not reach %s (%s); trying again.", attempt, label, errText(err))
		uerr := s.db.WithContext(ctx).Model(&bookingRow{}).Where("id = ? AND revision = ?", row.ID, row.Revision).
			Update("last_error", note).Error
		if uerr != nil {
			return fmt.Errorf("push booking %s: record error: %w", row.ID, uerr)
		}
		return &RetryError{After: retryAfter(err), Err: fmt.Errorf("push booking %s: %w", row.ID, err)}
	}
	reason := fmt.Sprintf("%s refused the booking: %s", label, errText(err))
	if merr := s.markFailed(ctx, row, attempt, reason); merr != nil {
		return merr
	}
	return &GiveUpError{Err: fmt.Errorf("push booking %s: %w", row.ID, err)}
}

// markFailed moves a pending booking to failed with a reason for people.
// A booking that changed since the push read it is left alone: its own
// push is already queued.
func (s *Service) markFailed(ctx context.Context, row bookingRow, attempt int, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&bookingRow{}).
			Where("id = ? AND revision = ? AND status = ?", row.ID, row.Revision, string(StatusPending)).
			Updates(map[string]any{
				"status": string(StatusFailed), "last_error": reason, "attempts": attempt, "updated_at": s.clock(),
			})
		if res.Error != nil {
			return fmt.Errorf("mark booking failed: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, tx, "", AuditFailed, auditSubject, row.ID, map[string]any{"reason": reason, "attempts": attempt})
	})
	if err != nil {
		return fmt.Errorf("push booking %s: %w", row.ID, err)
	}
	return nil
}

// cancelRemote cancels the event on p; see CancelRemote.
func (s *Service) cancelRemote(ctx context.Context, p calendar.Provider, row bookingRow, attempt, maxAttempts int) error {
	people, err := loadPeople(ctx, s.db, organizerIDs(row))
	if err != nil {
		return fmt.Errorf("cancel booking %s: %w", row.ID, err)
	}
	err = p.Cancel(ctx, organizerCalendar(row, people), cmp.Or(row.ExternalID, calendar.EventID(row.ID)))
	if err == nil || calendar.KindOf(err) == calendar.NotFound {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("cancel booking %s: %w", row.ID, err)
	}
	label := providerLabel(row.Provider)
	if calendar.KindOf(err) == calendar.Retryable && (maxAttempts <= 0 || attempt < maxAttempts) {
		return &RetryError{After: retryAfter(err), Err: fmt.Errorf("cancel booking %s: %w", row.ID, err)}
	}
	reason := fmt.Sprintf("Debrief could not cancel the event on %s (%s); attendees may still see it", label, errText(err))
	if nerr := s.noteCancelFailed(ctx, row, reason); nerr != nil {
		return nerr
	}
	return &GiveUpError{Err: fmt.Errorf("cancel booking %s: %w", row.ID, err)}
}

// noteCancelFailed records that a canceled booking's event may still be on
// calendars. The booking stays canceled: its slot is free in Debrief.
func (s *Service) noteCancelFailed(ctx context.Context, row bookingRow, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&bookingRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"last_error": reason, "updated_at": s.clock()}).Error
		if err != nil {
			return fmt.Errorf("record cancel failure: %w", err)
		}
		return audit.Record(ctx, tx, "", AuditCancelFailed, auditSubject, row.ID, map[string]string{"reason": reason})
	})
	if err != nil {
		return fmt.Errorf("cancel booking %s: %w", row.ID, err)
	}
	return nil
}

func organizerIDs(row bookingRow) []string {
	if row.OrganizerPersonID == nil {
		return nil
	}
	return []string{*row.OrganizerPersonID}
}

package bookings

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/idgen"
	"github.com/debrief-dev/debrief/internal/pagination"
)

// Audit actions this package records.
const (
	AuditCreated        = "booking.created"
	AuditUpdated        = "booking.updated"
	AuditCanceled       = "booking.canceled"
	AuditRetried        = "booking.retried"
	AuditFailed         = "booking.failed"
	AuditNeedsAttention = "booking.needs_attention"
	AuditCancelFailed   = "booking.cancel_failed"
	AuditFeedCreated    = "booking_feed.created"
	AuditFeedRevoked    = "booking_feed.revoked"
	auditSubject        = "booking"
	auditFeedSubject    = "person"
)

// Service applies the rules for bookings. It is safe for concurrent use.
type Service struct {
	db               *gorm.DB
	providers        map[string]calendar.Provider
	enq              Enqueuer
	now              func() time.Time
	defaultProvider  string
	defaultOrganizer string
	// defaults, when set, is asked at each booking instead: an admin can
	// connect or disconnect Google while Debrief runs.
	defaults func() (provider, organizer string)
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now, so tests can pin timestamps and "upcoming".
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}

// WithDefaultProvider sets the provider used when a request names none.
// Without it the default is "google" when a Google provider is configured
// and "builtin" otherwise.
func WithDefaultProvider(name string) Option {
	return func(s *Service) { s.defaultProvider = name }
}

// WithDefaultOrganizer sets the organizer calendar used when a request
// names none, typically DEBRIEF_GOOGLE_ORGANIZER: the mailbox a Google
// service account acts as.
func WithDefaultOrganizer(email string) Option {
	return func(s *Service) { s.defaultOrganizer = normalizeEmail(email) }
}

// WithDefaults makes the default provider and organizer follow f, asked
// at each booking. It wins over WithDefaultProvider and
// WithDefaultOrganizer.
func WithDefaults(f func() (provider, organizer string)) Option {
	return func(s *Service) { s.defaults = f }
}

// currentDefaults returns the provider and organizer a booking that names
// neither gets now.
func (s *Service) currentDefaults() (provider, organizer string) {
	if s.defaults != nil {
		p, o := s.defaults()
		return p, normalizeEmail(o)
	}
	return s.defaultProvider, s.defaultOrganizer
}

func defaultOrganizer(s *Service) string {
	_, o := s.currentDefaults()
	return o
}

// NewService returns a Service over db (opened with TranslateError).
// providers maps a provider name to its implementation; only providers
// that write to an external calendar are ever called, so "builtin" is
// always available and may be left out (which also spares the built-in
// provider, whose busy times come from this service, a construction
// cycle). enq enqueues the calendar jobs.
func NewService(db *gorm.DB, providers map[string]calendar.Provider, enq Enqueuer, opts ...Option) *Service {
	s := &Service{db: db, providers: maps.Clone(providers), enq: enq, now: time.Now}
	if s.providers == nil {
		s.providers = map[string]calendar.Provider{}
	}
	for _, o := range opts {
		o(s)
	}
	if s.defaultProvider == "" {
		s.defaultProvider = ProviderBuiltin
		if _, ok := s.providers[ProviderGoogle]; ok {
			s.defaultProvider = ProviderGoogle
		}
	}
	return s
}

func (s *Service) clock() time.Time { return normTime(s.now()) }

// configured reports whether bookings can be made with provider name.
func (s *Service) configured(name string) bool {
	if name == ProviderBuiltin {
		return true
	}
	_, ok := s.providers[name]
	return ok
}

func (s *Service) providerNames() []string {
	names := []string{ProviderBuiltin}
	for n := range s.providers {
		if n != ProviderBuiltin {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// txErr adds context to a failed transaction unless the error is already
// one for the caller (a coded error from the rules inside it).
func txErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// organizer is who a new booking is organized by.
type organizer struct {
	person *personRow
	email  string
}

// resolveOrganizer picks the organizer from the input, the configured
// default or the caller. Problems with the input become field errors.
func (s *Service) resolveOrganizer(ctx context.Context, tx *gorm.DB, f *apperr.Fields, a actor.Actor, in Input, provider string) (organizer, error) {
	byID := strings.TrimSpace(in.OrganizerPersonID)
	byEmail := normalizeEmail(in.OrganizerEmail)
	switch {
	case byID != "" && byEmail != "":
		f.Add("organizer_email", "give organizer_person_id or organizer_email, not both")
		return organizer{}, nil
	case byID != "":
		p, err := lookupPerson(ctx, tx, f, "organizer_person_id", byID)
		if err != nil || p == nil {
			return organizer{}, err
		}
		return organizer{person: p, email: p.Email}, nil
	case byEmail != "":
		return s.organizerByEmail(ctx, tx, f, "organizer_email", byEmail)
	case provider == ProviderGoogle && defaultOrganizer(s) != "":
		return s.organizerByEmail(ctx, tx, f, "organizer_email", defaultOrganizer(s))
	case a.PersonID != "":
		p, err := lookupPerson(ctx, tx, f, "organizer_person_id", a.PersonID)
		if err != nil || p == nil {
			return organizer{}, err
		}
		return organizer{person: p, email: p.Email}, nil
	}
	f.Add("organizer_person_id", "is required (or give organizer_email)")
	return organizer{}, nil
}

// organizerByEmail links an organizer address to a person when one has it
// as email or calendar id; otherwise it is a calendar of its own.
func (s *Service) organizerByEmail(ctx context.Context, tx *gorm.DB, f *apperr.Fields, field, email string) (organizer, error) {
	if !validEmail(email) {
		f.Add(field, "%q is not an email address", email)
		return organizer{}, nil
	}
	var rows []personRow
	err := tx.WithContext(ctx).Select(personColumns).
		Where("LOWER(email) = ? OR LOWER(calendar_id) = ?", email, email).Order("id").Limit(1).Find(&rows).Error
	if err != nil {
		return organizer{}, fmt.Errorf("look up organizer %s: %w", email, err)
	}
	if len(rows) == 0 {
		return organizer{email: email}, nil
	}
	if !rows[0].Active {
		f.Add(field, "%s is no longer active", rows[0].Name)
		return organizer{}, nil
	}
	return organizer{person: &rows[0], email: rows[0].Email}, nil
}

// lookupPerson resolves a person id from input; it must exist and be
// active. Problems become field errors; only database failures return.
func lookupPerson(ctx context.Context, db *gorm.DB, f *apperr.Fields, field, raw string) (*personRow, error) {
	id, ok := idgen.Canonical(raw)
	if !ok {
		f.Add(field, "no person with this id")
		return nil, nil
	}
	var rows []personRow
	if err := db.WithContext(ctx).Select(personColumns).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("look up person %s: %w", id, err)
	}
	switch {
	case len(rows) == 0:
		f.Add(field, "no person with this id")
		return nil, nil
	case !rows[0].Active:
		f.Add(field, "%s is no longer active", rows[0].Name)
		return nil, nil
	}
	return &rows[0], nil
}

// resolveAttendees checks an attendee list: 1 to MaxAttendees people, each
// existing, active, listed once and not the organizer. keep lists people
// already on the booking, who may stay even if since deactivated.
func resolveAttendees(ctx context.Context, tx *gorm.DB, f *apperr.Fields, in []AttendeeInput, org organizer, keep map[string]bool) ([]attendeeRow, error) {
	switch {
	case len(in) == 0:
		f.Add("attendees", "at least one attendee is required")
		return nil, nil
	case len(in) > MaxAttendees:
		f.Add("attendees", "at most %d attendees per booking", MaxAttendees)
		return nil, nil
	}
	ids := make([]string, len(in))
	seen := map[string]int{}
	bad := false
	for i, a := range in {
		field := fmt.Sprintf("attendees[%d].person_id", i)
		id, ok := idgen.Canonical(a.PersonID)
		switch {
		case !ok:
			f.Add(field, "no person with this id")
			bad = true
			continue
		case seen[id] > 0:
			f.Add(field, "is listed twice (also attendees[%d])", seen[id]-1)
			bad = true
		case org.person != nil && org.person.ID == id:
			f.Add(field, "is the organizer; the organizer is part of the booking already")
			bad = true
		}
		seen[id] = i + 1
		ids[i] = id
	}
	people, err := loadPeople(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]attendeeRow, 0, len(in))
	for i, a := range in {
		if ids[i] == "" {
			continue
		}
		field := fmt.Sprintf("attendees[%d].person_id", i)
		p, ok := people[ids[i]]
		switch {
		case !ok:
			f.Add(field, "no person with this id")
			bad = true
		case !p.Active && !keep[p.ID]:
			f.Add(field, "%s is no longer active", p.Name)
			bad = true
		}
		out = append(out, attendeeRow{PersonID: ids[i], Optional: a.Optional, Response: string(ResponseNeedsAction)})
	}
	if bad {
		return nil, nil
	}
	return out, nil
}

// holders is everyone a booking keeps busy: its attendees and, when the
// organizer is a person, the organizer too.
func holders(atts []attendeeRow, orgPersonID *string) []string {
	ids := make([]string, 0, len(atts)+1)
	for _, a := range atts {
		ids = append(ids, a.PersonID)
	}
	if orgPersonID != nil {
		ids = append(ids, *orgPersonID)
	}
	return uniq(ids)
}

// attendeeField names the input field a person came from, for conflict
// messages.
func attendeeField(atts []attendeeRow, orgPersonID *string) func(string) string {
	return func(pid string) string {
		if orgPersonID != nil && *orgPersonID == pid {
			return "organizer_person_id"
		}
		for i, a := range atts {
			if a.PersonID == pid {
				return fmt.Sprintf("attendees[%d].person_id", i)
			}
		}
		return "attendees"
	}
}

// Create books a time. The booking, its attendees, the holds that keep
// everyone busy, the calendar job and the audit entry commit together.
// Google bookings start pending and are pushed by a job; built-in ones
// have nothing to write elsewhere and are confirmed at once.
func (s *Service) Create(ctx context.Context, a actor.Actor, in Input) (Booking, error) {
	if !a.RunsEvents() {
		return Booking{}, apperr.Forbiddenf("only facilitators and admins can book")
	}
	var f apperr.Fields
	title := strings.TrimSpace(in.Title)
	checkLen(&f, "title", title, 1, maxTitle)
	desc := strings.TrimSpace(in.Description)
	checkLen(&f, "description", desc, 0, maxDescription)
	kind := in.Kind
	if kind == "" {
		kind = KindOther
	}
	checkEnum(&f, "kind", kind, Kinds())
	start, okS := parseTime(&f, "start", in.Start)
	end, okE := parseTime(&f, "end", in.End)
	if okS && okE {
		checkSpan(&f, start, end)
	}
	provider := strings.TrimSpace(in.Provider)
	if provider == "" {
		provider, _ = s.currentDefaults()
	}
	if !s.configured(provider) {
		f.Add("provider", "%q is not configured; use one of %s", provider, strings.Join(s.providerNames(), ", "))
	}

	id := idgen.New()
	now := s.clock()
	var (
		atts  []attendeeRow
		orgID *string
	)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		org, err := s.resolveOrganizer(ctx, tx, &f, a, in, provider)
		if err != nil {
			return err
		}
		atts, err = resolveAttendees(ctx, tx, &f, in.Attendees, org, nil)
		if err != nil {
			return err
		}
		var eventID *string
		if raw := strings.TrimSpace(in.EventID); raw != "" {
			if eventID, err = lookupEvent(ctx, tx, &f, raw); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		status := StatusPending
		if provider == ProviderBuiltin {
			status = StatusConfirmed
		}
		row := bookingRow{
			ID: id, Title: title, Description: desc, EventID: eventID, Kind: string(kind),
			Provider: provider, OrganizerEmail: org.email, StartAt: start, EndAt: end,
			Status: string(status), CreatedAt: now, UpdatedAt: now,
		}
		if org.person != nil {
			orgID = &org.person.ID
			row.OrganizerPersonID = orgID
		}
		if a.UserID != "" {
			row.CreatedBy = &a.UserID
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert booking: %w", err)
		}
		for i := range atts {
			atts[i].BookingID = id
		}
		if err := tx.Create(&atts).Error; err != nil {
			return fmt.Errorf("insert attendees: %w", err)
		}
		if err := insertHolds(ctx, tx, id, holders(atts, orgID), start, end); err != nil {
			return err
		}
		if provider != ProviderBuiltin {
			if err := s.enqueue(ctx, tx, PushArgs{BookingID: id}, nil); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, a.UserID, AuditCreated, auditSubject, id, map[string]any{
			"title": title, "provider": provider, "status": status,
			"start": start, "end": end, "attendees": len(atts),
		})
	})
	if isOverlap(err) {
		return Booking{}, s.conflictError(ctx, err, id, holders(atts, orgID), start, end, attendeeField(atts, orgID))
	}
	if isDeadlock(err) {
		return Booking{}, apperr.Wrap(apperr.Conflict, err, "another booking for the same people was being made at the same moment; try again")
	}
	if err := txErr(err, "create booking"); err != nil {
		return Booking{}, err
	}
	return s.view(ctx, s.db, id)
}

func lookupEvent(ctx context.Context, tx *gorm.DB, f *apperr.Fields, raw string) (*string, error) {
	id, ok := idgen.Canonical(raw)
	if !ok {
		f.Add("event_id", "no event with this id")
		return nil, nil
	}
	var n int64
	if err := tx.WithContext(ctx).Table("events").Where("id = ?", id).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("look up event %s: %w", id, err)
	}
	if n == 0 {
		f.Add("event_id", "no event with this id")
		return nil, nil
	}
	return &id, nil
}

// Get returns one booking the caller may see.
func (s *Service) Get(ctx context.Context, a actor.Actor, id string) (Booking, error) {
	row, err := findBooking(ctx, s.db, a, id)
	if err != nil {
		return Booking{}, err
	}
	out, err := s.views(ctx, s.db, []bookingRow{row})
	if err != nil {
		return Booking{}, err
	}
	return out[0], nil
}

// view reads one booking with no visibility rules (after a write the
// caller was allowed to make).
func (s *Service) view(ctx context.Context, db *gorm.DB, id string) (Booking, error) {
	row, ok, err := loadRow(ctx, db, id)
	if err != nil {
		return Booking{}, err
	}
	if !ok {
		return Booking{}, notFoundBooking()
	}
	out, err := s.views(ctx, db, []bookingRow{row})
	if err != nil {
		return Booking{}, err
	}
	return out[0], nil
}

// views turns rows into Bookings with a fixed number of queries.
func (s *Service) views(ctx context.Context, db *gorm.DB, rows []bookingRow) ([]Booking, error) {
	out := make([]Booking, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	var pids []string
	for i, r := range rows {
		ids[i] = r.ID
		if r.OrganizerPersonID != nil {
			pids = append(pids, *r.OrganizerPersonID)
		}
	}
	atts, err := loadAttendees(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	for _, list := range atts {
		for _, a := range list {
			pids = append(pids, a.PersonID)
		}
	}
	people, err := loadPeople(ctx, db, pids)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		out[i] = toView(r, atts[r.ID], people)
	}
	return out, nil
}

func toView(r bookingRow, atts []attendeeRow, people map[string]personRow) Booking {
	b := Booking{
		ID: r.ID, Title: r.Title, Description: r.Description, EventID: r.EventID,
		Kind: Kind(r.Kind), Provider: r.Provider,
		Organizer: Organizer{Name: r.OrganizerEmail, Email: r.OrganizerEmail},
		Start:     r.StartAt.UTC(), End: r.EndAt.UTC(), Status: Status(r.Status),
		ExternalID: r.ExternalID, MeetURL: r.MeetURL, Sequence: r.Sequence, Attempts: r.Attempts,
		LastError: r.LastError, AttentionReason: r.AttentionReason,
		Attendees: make([]Attendee, 0, len(atts)),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.CanceledAt != nil {
		t := r.CanceledAt.UTC()
		b.CanceledAt = &t
	}
	if r.OrganizerPersonID != nil {
		id := *r.OrganizerPersonID
		b.Organizer.ID = &id
		if p, ok := people[id]; ok {
			b.Organizer.Name, b.Organizer.Email = p.Name, p.Email
		}
	}
	if r.Provider == ProviderBuiltin {
		u := ICSPath(r.ID)
		b.ICSURL = &u
	}
	for _, a := range atts {
		p := people[a.PersonID]
		ref := p.ref()
		ref.ID = a.PersonID
		b.Attendees = append(b.Attendees, Attendee{Person: ref, Optional: a.Optional, Response: Response(a.Response)})
	}
	// Required people first, then by name: the order a facilitator scans.
	slices.SortFunc(b.Attendees, func(x, y Attendee) int {
		if x.Optional != y.Optional {
			if x.Optional {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(strings.ToLower(x.Person.Name), strings.ToLower(y.Person.Name)),
			cmp.Compare(x.Person.ID, y.Person.ID))
	})
	return b
}

// List returns one page of the bookings the caller may see, earliest
// start first.
func (s *Service) List(ctx context.Context, a actor.Actor, flt ListFilter, page pagination.Page) (BookingList, error) {
	page, err := page.Normalize()
	if err != nil {
		return BookingList{}, err
	}
	var f apperr.Fields
	q := s.db.WithContext(ctx).Model(&bookingRow{}).Scopes(visible(a))
	if flt.Status != "" {
		checkEnum(&f, "status", flt.Status, Statuses())
		q = q.Where("bookings.status = ?", string(flt.Status))
	}
	if raw := strings.TrimSpace(flt.PersonID); raw != "" {
		pid, ok := idgen.Canonical(raw)
		if !ok {
			f.Add("person_id", "no person with this id")
		}
		q = q.Where("(bookings.organizer_person_id = ? OR EXISTS (SELECT 1 FROM booking_attendees fa"+
			" WHERE fa.booking_id = bookings.id AND fa.person_id = ?))", pid, pid)
	}
	if raw := strings.TrimSpace(flt.EventID); raw != "" {
		eid, ok := idgen.Canonical(raw)
		if !ok {
			f.Add("event_id", "no event with this id")
		}
		q = q.Where("bookings.event_id = ?", eid)
	}
	from, okFrom := pagination.ParseBound(&f, "from", flt.From, false)
	to, okTo := pagination.ParseBound(&f, "to", flt.To, true)
	if okFrom {
		q = q.Where("bookings.end_at > ?", from)
	}
	if okTo {
		q = q.Where("bookings.start_at < ?", to)
	}
	if okFrom && okTo && !to.After(from) {
		f.Add("to", "must be after from")
	}
	if page.Cursor != "" {
		at, id, err := pagination.DecodeTimeID(page.Cursor)
		if err != nil {
			return BookingList{}, err
		}
		// A row-value comparison lets both dialects seek the
		// (start_at, id) index.
		q = q.Where("(bookings.start_at, bookings.id) > (?, ?)", at, id)
	}
	if err := f.Err(); err != nil {
		return BookingList{}, err
	}
	var rows []bookingRow
	if err := q.Order("bookings.start_at, bookings.id").Limit(page.Limit + 1).Find(&rows).Error; err != nil {
		return BookingList{}, fmt.Errorf("list bookings: %w", err)
	}
	var next string
	if len(rows) > page.Limit {
		rows = rows[:page.Limit]
		last := rows[len(rows)-1]
		next = pagination.EncodeTimeID(last.StartAt, last.ID)
	}
	items, err := s.views(ctx, s.db, rows)
	if err != nil {
		return BookingList{}, err
	}
	return BookingList{Items: items, NextCursor: next}, nil
}

// writable loads a booking for a change: not found when the caller may
// not see it, forbidden when they may see but not change it.
func (s *Service) writable(ctx context.Context, tx *gorm.DB, a actor.Actor, id string) (bookingRow, error) {
	row, err := findBooking(ctx, tx, a, id)
	if err != nil {
		return bookingRow{}, err
	}
	if !a.RunsEvents() {
		return bookingRow{}, apperr.Forbiddenf("only facilitators and admins can change bookings")
	}
	return row, nil
}

// Update changes a booking: its time, title, description or attendees.
// Holds move in the same transaction, so a new clash is a conflict and
// the booking stays as it was. Every change raises the sequence so
// calendars replace the old invitation; a Google booking goes back to
// pending and is pushed again, a built-in one stays confirmed.
func (s *Service) Update(ctx context.Context, a actor.Actor, id string, p Patch) (Booking, error) {
	var (
		bookingID  string
		atts       []attendeeRow
		orgID      *string
		start, end time.Time
	)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		bookingID, orgID, start, end = row.ID, row.OrganizerPersonID, row.StartAt, row.EndAt
		if row.Status == string(StatusCanceled) {
			return apperr.Conflictf("the booking is canceled; book a new time instead")
		}
		var f apperr.Fields
		set := map[string]any{}
		if p.Title != nil {
			t := strings.TrimSpace(*p.Title)
			checkLen(&f, "title", t, 1, maxTitle)
			if t != row.Title {
				set["title"] = t
			}
		}
		if p.Description != nil {
			d := strings.TrimSpace(*p.Description)
			checkLen(&f, "description", d, 0, maxDescription)
			if d != row.Description {
				set["description"] = d
			}
		}
		okTimes := true
		if p.Start != nil {
			t, ok := parseTime(&f, "start", *p.Start)
			start, okTimes = t, okTimes && ok
		}
		if p.End != nil {
			t, ok := parseTime(&f, "end", *p.End)
			end, okTimes = t, okTimes && ok
		}
		if okTimes {
			checkSpan(&f, start, end)
		}
		moved := okTimes && (!start.Equal(row.StartAt) || !end.Equal(row.EndAt))
		if moved {
			set["start_at"], set["end_at"] = start, end
		}

		old, err := loadAttendees(ctx, tx, []string{row.ID})
		if err != nil {
			return err
		}
		atts = old[row.ID]
		prev := make(map[string]attendeeRow, len(atts))
		keep := make(map[string]bool, len(atts))
		for _, at := range atts {
			prev[at.PersonID], keep[at.PersonID] = at, true
		}
		attsChanged := false
		if p.Attendees != nil {
			org := organizer{email: row.OrganizerEmail}
			if row.OrganizerPersonID != nil {
				org.person = &personRow{ID: *row.OrganizerPersonID}
			}
			next, err := resolveAttendees(ctx, tx, &f, *p.Attendees, org, keep)
			if err != nil {
				return err
			}
			if f.Len() == 0 {
				attsChanged = len(next) != len(atts)
				for i, n := range next {
					n.BookingID = row.ID
					if o, ok := prev[n.PersonID]; ok {
						// People who stay keep their answer.
						n.Response, n.RespondedAt = o.Response, o.RespondedAt
						attsChanged = attsChanged || o.Optional != n.Optional
					} else {
						attsChanged = true
					}
					next[i] = n
				}
				atts = next
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if len(set) == 0 && !attsChanged {
			return nil // nothing changed: no new sequence, no push
		}
		if moved {
			// A new time is a new question: earlier answers no longer hold.
			for i := range atts {
				atts[i].Response, atts[i].RespondedAt = string(ResponseNeedsAction), nil
			}
		}
		changed := slices.Sorted(maps.Keys(set))
		if attsChanged {
			changed = append(changed, "attendees")
		}
		set["sequence"] = gorm.Expr("sequence + 1")
		set["revision"] = gorm.Expr("revision + 1")
		set["updated_at"] = s.clock()
		if row.Provider != ProviderBuiltin {
			// The calendar must hear of the change; whatever needed
			// attention is for the new version to show.
			set["status"] = string(StatusPending)
			set["attempts"] = 0
			set["attention_reason"] = ""
		}
		// The booking row is updated first: its row lock makes a concurrent
		// edit of the same booking wait here and then find the revision
		// gone, instead of colliding on the attendee and hold rows.
		res := tx.Model(&bookingRow{}).Where("id = ? AND revision = ?", row.ID, row.Revision).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("update booking: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Conflictf("the booking changed while this edit was made; reload it and try again")
		}
		if moved || attsChanged {
			if err := tx.Where("booking_id = ?", row.ID).Delete(&attendeeRow{}).Error; err != nil {
				return fmt.Errorf("clear attendees: %w", err)
			}
			if err := tx.Create(&atts).Error; err != nil {
				return fmt.Errorf("insert attendees: %w", err)
			}
			if err := replaceHolds(ctx, tx, row.ID, holders(atts, row.OrganizerPersonID), start, end); err != nil {
				return err
			}
		}
		if row.Provider != ProviderBuiltin {
			if err := s.enqueue(ctx, tx, PushArgs{BookingID: row.ID}, nil); err != nil {
				return err
			}
		}
		detail := map[string]any{"changed": changed}
		if moved {
			detail["from"] = map[string]time.Time{"start": row.StartAt.UTC(), "end": row.EndAt.UTC()}
			detail["to"] = map[string]time.Time{"start": start, "end": end}
		}
		if attsChanged {
			detail["attendees"] = len(atts)
		}
		return audit.Record(ctx, tx, a.UserID, AuditUpdated, auditSubject, row.ID, detail)
	})
	if isOverlap(err) {
		return Booking{}, s.conflictError(ctx, err, bookingID, holders(atts, orgID), start, end, attendeeField(atts, orgID))
	}
	if isDeadlock(err) {
		return Booking{}, apperr.Wrap(apperr.Conflict, err, "another booking for the same people was being changed at the same moment; try again")
	}
	if err := txErr(err, "update booking"); err != nil {
		return Booking{}, err
	}
	return s.view(ctx, s.db, bookingID)
}

// Cancel cancels a booking and frees everyone's time. A Google booking's
// event is cancelled by a job; a built-in booking's sequence goes up so
// the .ics CANCEL supersedes the invitation. Canceling twice is fine.
func (s *Service) Cancel(ctx context.Context, a actor.Actor, id string) (Booking, error) {
	var bookingID string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		bookingID = row.ID
		if row.Status == string(StatusCanceled) {
			return nil
		}
		now := s.clock()
		res := tx.Model(&bookingRow{}).Where("id = ? AND status <> ?", row.ID, string(StatusCanceled)).Updates(map[string]any{
			"status": string(StatusCanceled), "canceled_at": now, "updated_at": now,
			"sequence": gorm.Expr("sequence + 1"), "revision": gorm.Expr("revision + 1"),
			// attempts stays: it tells a late push job that an earlier
			// attempt may have reached the calendar and must be undone.
			"attention_reason": "",
		})
		if res.Error != nil {
			return fmt.Errorf("cancel booking: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // canceled concurrently
		}
		if err := releaseHolds(ctx, tx, row.ID); err != nil {
			return err
		}
		if row.Provider != ProviderBuiltin {
			if err := s.enqueue(ctx, tx, CancelArgs{BookingID: row.ID}, nil); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, a.UserID, AuditCanceled, auditSubject, row.ID,
			map[string]string{"from": row.Status})
	})
	if err := txErr(err, "cancel booking"); err != nil {
		return Booking{}, err
	}
	return s.view(ctx, s.db, bookingID)
}

// Retry pushes a failed booking, or one that needs attention, to its
// calendar again. The push is enqueued as unique, and a booking already
// pending is returned as it is, so a double click enqueues one job.
func (s *Service) Retry(ctx context.Context, a actor.Actor, id string) (Booking, error) {
	var bookingID string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		bookingID = row.ID
		switch Status(row.Status) {
		case StatusPending:
			return nil
		case StatusFailed, StatusNeedsAttention:
		default:
			return apperr.Conflictf("only a failed booking or one that needs attention can be retried; this one is %s", row.Status)
		}
		if row.Provider == ProviderBuiltin {
			return apperr.Conflictf("a built-in booking has nothing to send again; edit or cancel it instead")
		}
		res := tx.Model(&bookingRow{}).Where("id = ? AND status = ?", row.ID, row.Status).Updates(map[string]any{
			"status": string(StatusPending), "attempts": 0, "attention_reason": "",
			"revision": gorm.Expr("revision + 1"), "updated_at": s.clock(),
		})
		if res.Error != nil {
			return fmt.Errorf("retry booking: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // someone else retried it a moment ago
		}
		if err := s.enqueue(ctx, tx, PushArgs{BookingID: row.ID}, &EnqueueOpts{UniqueByArgs: true}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a.UserID, AuditRetried, auditSubject, row.ID,
			map[string]string{"from": row.Status, "last_error": row.LastError, "attention_reason": row.AttentionReason})
	})
	if err := txErr(err, "retry booking"); err != nil {
		return Booking{}, err
	}
	return s.view(ctx, s.db, bookingID)
}

package bookings

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// How far back a feed reaches. Calendar apps keep what they have already
// seen; a feed only needs enough past to show recent meetings and to carry
// each cancellation long enough for every subscriber to poll it.
const (
	feedPast         = 90 * 24 * time.Hour
	feedCanceledKeep = 30 * 24 * time.Hour
	feedLimit        = 1000
	// chunkSize bounds IN lists well below both dialects' parameter limits.
	chunkSize = 500
)

// CreateFeed issues a secret calendar feed URL token for a person's
// built-in bookings. It is shown once: only its hash is stored, and a new
// token replaces (and so revokes) the previous one. Facilitators and
// admins may issue one for anyone; others only for their own person.
func (s *Service) CreateFeed(ctx context.Context, a actor.Actor, personID string) (string, error) {
	pid, err := s.feedAccess(a, personID)
	if err != nil {
		return "", err
	}
	token, err := randomToken()
	if err != nil {
		return "", err
	}
	now := s.clock()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("people").Where("id = ?", pid).Count(&n).Error; err != nil {
			return fmt.Errorf("look up person %s: %w", pid, err)
		}
		if n == 0 {
			return apperr.NotFoundf("person not found")
		}
		err := tx.Exec(`INSERT INTO person_feeds (person_id, token_hash, created_at, revoked_at) VALUES (?, ?, ?, NULL)
			ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, revoked_at = NULL`,
			pid, digest(token), now).Error
		if err != nil {
			return fmt.Errorf("store feed token: %w", err)
		}
		return audit.Record(ctx, tx, a.UserID, AuditFeedCreated, auditFeedSubject, pid, nil)
	})
	if err := txErr(err, "create feed"); err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeed turns a person's feed URL off. Revoking when there is no
// live feed is not an error.
func (s *Service) RevokeFeed(ctx context.Context, a actor.Actor, personID string) error {
	pid, err := s.feedAccess(a, personID)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&feedRow{}).Where("person_id = ? AND revoked_at IS NULL", pid).Update("revoked_at", s.clock())
		if res.Error != nil {
			return fmt.Errorf("revoke feed: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, tx, a.UserID, AuditFeedRevoked, auditFeedSubject, pid, nil)
	})
	return txErr(err, "revoke feed")
}

func (s *Service) feedAccess(a actor.Actor, personID string) (string, error) {
	pid, ok := idgen.Canonical(personID)
	if !ok {
		return "", apperr.NotFoundf("person not found")
	}
	if own, _ := idgen.Canonical(a.PersonID); !a.RunsEvents() && own != pid {
		return "", apperr.Forbiddenf("you can only manage your own calendar feed")
	}
	return pid, nil
}

// FeedBookings returns whose feed token is and the built-in bookings it
// shows: those the person attends or organizes that ended less than 90
// days ago, plus cancellations of the last 30 days (so subscribed apps
// drop them). Google bookings are left out: Google already puts them on
// the person's calendar. A wrong or revoked token is NotFound, with no
// hint which. Callers render the .ics; this needs no actor because the
// token is the credential.
func (s *Service) FeedBookings(ctx context.Context, token string) (FeedPerson, []Booking, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return FeedPerson{}, nil, apperr.NotFoundf("calendar feed not found")
	}
	var feeds []feedRow
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", digest(token)).Limit(1).Find(&feeds).Error
	if err != nil {
		return FeedPerson{}, nil, fmt.Errorf("look up feed: %w", err)
	}
	if len(feeds) == 0 {
		return FeedPerson{}, nil, apperr.NotFoundf("calendar feed not found")
	}
	pid := feeds[0].PersonID
	people, err := loadPeople(ctx, s.db, []string{pid})
	if err != nil {
		return FeedPerson{}, nil, err
	}
	p, ok := people[pid]
	if !ok {
		return FeedPerson{}, nil, apperr.NotFoundf("calendar feed not found")
	}
	now := s.clock()
	var rows []bookingRow
	err = s.db.WithContext(ctx).
		Where("bookings.provider = ?", ProviderBuiltin).
		Where("(bookings.organizer_person_id = ? OR EXISTS (SELECT 1 FROM booking_attendees fa"+
			" WHERE fa.booking_id = bookings.id AND fa.person_id = ?))", pid, pid).
		Where("((bookings.status <> ? AND bookings.end_at > ?) OR (bookings.status = ? AND bookings.canceled_at > ?))",
			string(StatusCanceled), now.Add(-feedPast), string(StatusCanceled), now.Add(-feedCanceledKeep)).
		Order("bookings.start_at, bookings.id").Limit(feedLimit).Find(&rows).Error
	if err != nil {
		return FeedPerson{}, nil, fmt.Errorf("load feed bookings: %w", err)
	}
	items, err := s.views(ctx, s.db, rows)
	if err != nil {
		return FeedPerson{}, nil, err
	}
	return FeedPerson{ID: p.ID, Name: p.Name, Email: p.Email, Timezone: p.Timezone}, items, nil
}

// BusyFor returns, for each person id asked about, the times their active
// Debrief bookings (any provider, any status but canceled) keep them busy
// and that overlap [start, end). Every well-formed id asked about is in
// the map, with an empty list when the person is free; intervals are not
// clipped to the window. It is the built-in provider's source of busy time
// and Debrief's own contribution to availability.
func (s *Service) BusyFor(ctx context.Context, personIDs []string, start, end time.Time) (map[string][]calendar.Interval, error) {
	ids := make([]string, 0, len(personIDs))
	for _, raw := range personIDs {
		if id, ok := idgen.Canonical(raw); ok {
			ids = append(ids, id)
		}
	}
	ids = uniq(ids)
	out := make(map[string][]calendar.Interval, len(ids))
	for _, id := range ids {
		out[id] = []calendar.Interval{}
	}
	start, end = start.UTC(), end.UTC()
	for i := 0; i < len(ids); i += chunkSize {
		chunk := ids[i:min(i+chunkSize, len(ids))]
		var rows []struct {
			PersonID string    `gorm:"column:person_id"`
			StartAt  time.Time `gorm:"column:start_at"`
			EndAt    time.Time `gorm:"column:end_at"`
		}
		err := s.db.WithContext(ctx).Table("booking_holds h").
			Select("h.person_id, b.start_at, b.end_at").
			Joins("JOIN bookings b ON b.id = h.booking_id").
			Where("h.active AND h.person_id IN ? AND b.start_at < ? AND b.end_at > ?", chunk, end, start).
			Order("h.person_id, b.start_at").Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("load busy times: %w", err)
		}
		for _, r := range rows {
			out[r.PersonID] = append(out[r.PersonID], calendar.Interval{Start: r.StartAt.UTC(), End: r.EndAt.UTC()})
		}
	}
	return out, nil
}

// BusyForCalendars is BusyFor keyed by calendar address (a person's
// calendar id or email, matched ignoring case), as calendar.Provider's
// FreeBusy is asked. Addresses that are no Debrief person are absent from
// the map, so the caller can tell "free" from "not ours to answer".
func (s *Service) BusyForCalendars(ctx context.Context, calendars []string, start, end time.Time) (map[string][]calendar.Interval, error) {
	want := map[string][]string{} // lower-cased address → addresses as asked
	for _, c := range calendars {
		k := normalizeEmail(c)
		if k != "" {
			want[k] = append(want[k], c)
		}
	}
	out := make(map[string][]calendar.Interval, len(want))
	if len(want) == 0 {
		return out, nil
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	byPerson := map[string][]string{} // person id → lower-cased addresses
	for i := 0; i < len(keys); i += chunkSize {
		chunk := keys[i:min(i+chunkSize, len(keys))]
		var people []personRow
		err := s.db.WithContext(ctx).Select(personColumns).
			Where("LOWER(email) IN ? OR LOWER(calendar_id) IN ?", chunk, chunk).Find(&people).Error
		if err != nil {
			return nil, fmt.Errorf("look up calendars: %w", err)
		}
		for _, p := range people {
			for _, addr := range uniq([]string{normalizeEmail(p.Email), normalizeEmail(p.CalendarID)}) {
				if _, ok := want[addr]; ok && addr != "" {
					byPerson[p.ID] = append(byPerson[p.ID], addr)
				}
			}
		}
	}
	pids := make([]string, 0, len(byPerson))
	for id := range byPerson {
		pids = append(pids, id)
	}
	busy, err := s.BusyFor(ctx, pids, start, end)
	if err != nil {
		return nil, err
	}
	for id, addrs := range byPerson {
		for _, addr := range addrs {
			for _, asked := range want[addr] {
				if out[asked] == nil {
					out[asked] = []calendar.Interval{}
				}
				out[asked] = append(out[asked], busy[id]...)
			}
		}
	}
	for _, list := range out {
		slices.SortFunc(list, func(x, y calendar.Interval) int { return x.Start.Compare(y.Start) })
	}
	return out, nil
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new feed token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func digest(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

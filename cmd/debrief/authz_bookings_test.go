package main

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/builtin"
	"github.com/debrief-dev/debrief/internal/calendar/ics"
)

// Authorization matrix rows for availability, bookings, invitations and
// calendar feeds. Bookings are visible to admins and facilitators, and to
// anyone whose person attends or organizes them; only admins and
// facilitators change them. In the fixture the member's person (Mia)
// attends the "attended" booking and not the "other" one (Sam's); the
// leader has no person and so sees no booking at all. Feeds are managed
// by admins and facilitators for anyone, and by people for their own
// person; fetching one needs only its URL.

var bookingTargets = []string{"attended", "other"}

// bkRead is who may read a booking target; bkWrite who may change it (ok
// is the success status): 403 for a reader who may not write, 404 for a
// caller who may not see it.
func bkRead(target string) outcome {
	if target == "attended" {
		return want(401, 200, 200, 200, 404)
	}
	return want(401, 200, 200, 404, 404)
}

func bkWrite(target string, ok int) outcome {
	if target == "attended" {
		return want(401, ok, ok, 403, 404)
	}
	return want(401, ok, ok, 404, 404)
}

// slot is a start time of the case's own: every case run books three hours
// nobody else uses, so the fixture people are never double-booked.
func (x *authzCtx) slot() time.Time {
	return time.Date(2028, 1, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(x.f.seq) * 3 * time.Hour)
}

// newBooking has the admin book target's person for half an hour at
// offset into the case's slot.
func (x *authzCtx) newBooking(t *testing.T, target string, offset time.Duration) wireBooking {
	t.Helper()
	who := x.f.mia
	if target != "attended" {
		who = x.f.sam
	}
	var b wireBooking
	x.admin.must(201, "POST", "/api/v1/bookings", bookingBody("Booking "+x.marker, x.slot().Add(offset), 30, who)).decode(t, &b)
	return b
}

func (x *authzCtx) booking(t *testing.T, id string) wireBooking {
	t.Helper()
	var b wireBooking
	x.admin.must(200, "GET", "/api/v1/bookings/"+id, nil).decode(t, &b)
	return b
}

// slotBookings is the admin's list of the bookings in the case's slot.
func (x *authzCtx) slotBookingsPath() string {
	return "/api/v1/bookings?limit=200&from=" + url.QueryEscape(x.slot().Format(time.RFC3339)) +
		"&to=" + url.QueryEscape(x.slot().Add(3*time.Hour).Format(time.RFC3339))
}

// newFeed has the admin issue a feed for person and returns its path.
func (x *authzCtx) newFeed(t *testing.T, person string) string {
	t.Helper()
	var fu struct{ URL string }
	x.admin.must(201, "POST", "/api/v1/people/"+person+"/feed", nil).decode(t, &fu)
	return x.feedPath(t, fu.URL)
}

func (x *authzCtx) feedPath(t *testing.T, u string) string {
	t.Helper()
	p, ok := strings.CutPrefix(u, x.f.s.URL+"/feeds/")
	if !ok || !strings.HasSuffix(p, ".ics") {
		t.Fatalf("feed URL %q is not under %s/feeds/", u, x.f.s.URL)
	}
	return "/feeds/" + p
}

// feedStatus fetches a feed with no credentials.
func (x *authzCtx) feedStatus(t *testing.T, path string) int {
	t.Helper()
	return bindClient(t, x.f.s.client(t, x.f.contract)).do("GET", path, nil).Status
}

func bookingAuthzCases() []authzCase {
	cases := []authzCase{
		{method: "POST", route: "/api/v1/availability", want: want(401, 200, 200, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/availability", body: map[string]any{
					"people": []string{x.f.mia}, "optional": []string{x.f.sam}, "duration_minutes": 30,
					"window": map[string]string{"start": x.slot().Format(time.RFC3339), "end": x.slot().Add(48 * time.Hour).Format(time.RFC3339)}}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var av wireAvailability
				r.decode(t, &av)
				if av.Sources[x.f.mia] != "builtin" || av.Sources[x.f.sam] != "builtin" || len(av.People) != 2 {
					t.Errorf("availability = %s", r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/bookings", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				a, o := x.newBooking(t, "attended", 0), x.newBooking(t, "other", time.Hour)
				return authzReq{path: x.slotBookingsPath(), ref: a.ID + " " + o.ID}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				all := strings.Fields(q.ref)
				var l wireBookingList
				r.decode(t, &l)
				want := all
				switch x.role {
				case roleMember:
					want = all[:1]
				case roleLeader:
					want = []string{}
				}
				if got := bookingIDs(l); !slices.Equal(got, want) {
					t.Errorf("%s sees bookings %v, want %v", x.role, got, want)
				}
			}},
		{method: "POST", route: "/api/v1/bookings", want: want(401, 201, 201, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/bookings", body: bookingBody("Booking "+x.marker, x.slot(), 30, x.f.mia, x.f.sam)}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if b := x.admin.must(200, "GET", x.slotBookingsPath(), nil).Body; !bytes.Contains(b, []byte(x.marker)) {
					t.Errorf("allowed booking is not there: %s", b)
				}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if b := x.admin.must(200, "GET", x.slotBookingsPath(), nil).Body; bytes.Contains(b, []byte(x.marker)) {
					t.Errorf("refused request still booked: %s", b)
				}
			}},
	}

	for _, target := range bookingTargets {
		target := target
		bkPath := func(q authzReq, rest string) string { return "/api/v1/bookings/" + q.ref + rest }
		ref := func(t *testing.T, x *authzCtx, rest string) authzReq {
			b := x.newBooking(t, target, 0)
			return authzReq{path: "/api/v1/bookings/" + b.ID + rest, ref: b.ID}
		}
		unchanged := func(t *testing.T, x *authzCtx, q authzReq) {
			if b := x.booking(t, q.ref); b.Status != "confirmed" || b.Sequence != 0 || strings.Contains(b.Title, "Moved") {
				t.Errorf("refused request changed the booking: %+v", b)
			}
		}
		cases = append(cases,
			authzCase{method: "GET", route: "/api/v1/bookings/{id}", target: target, want: bkRead(target),
				build: func(t *testing.T, x *authzCtx) authzReq { return ref(t, x, "") },
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					var b wireBooking
					r.decode(t, &b)
					if b.ID != q.ref || !strings.Contains(b.Title, x.marker) {
						t.Errorf("got %s", r.Body)
					}
				}},
			authzCase{method: "PATCH", route: "/api/v1/bookings/{id}", target: target, want: bkWrite(target, 200),
				build: func(t *testing.T, x *authzCtx) authzReq {
					q := ref(t, x, "")
					q.body = map[string]string{"title": "Moved " + x.marker,
						"start": x.slot().Add(30 * time.Minute).Format(time.RFC3339), "end": x.slot().Add(time.Hour).Format(time.RFC3339)}
					return q
				},
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if b := x.booking(t, q.ref); b.Title != "Moved "+x.marker || b.Sequence != 1 ||
						b.Start != x.slot().Add(30*time.Minute).Format(time.RFC3339) {
						t.Errorf("allowed reschedule did not apply: %+v", b)
					}
				},
				refused: unchanged},
			authzCase{method: "DELETE", route: "/api/v1/bookings/{id}", target: target, want: bkWrite(target, 200),
				build: func(t *testing.T, x *authzCtx) authzReq { return ref(t, x, "") },
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if b := x.booking(t, q.ref); b.Status != "canceled" || b.Sequence != 1 {
						t.Errorf("allowed cancel did not apply: %+v", b)
					}
				},
				refused: unchanged},
			// A built-in booking has nothing to push again: those who may
			// change it get 409, which is still the decision to let them try.
			authzCase{method: "POST", route: "/api/v1/bookings/{id}/retry", target: target, want: bkWrite(target, 409),
				build:   func(t *testing.T, x *authzCtx) authzReq { return ref(t, x, "/retry") },
				refused: unchanged},
			authzCase{method: "GET", route: "/api/v1/bookings/{id}/invite.ics", target: target, want: bkRead(target),
				build: func(t *testing.T, x *authzCtx) authzReq { return ref(t, x, "/invite.ics") },
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					cal, err := ics.Parse(r.Body)
					if err != nil {
						t.Fatalf("invitation does not parse: %v", err)
					}
					if m, _ := cal.Property("METHOD"); m.Value != "REQUEST" || !bytes.Contains(r.Body, []byte(builtin.UID(q.ref))) {
						t.Errorf("invitation for %s:\n%s", bkPath(q, ""), r.Body)
					}
				}},
		)
	}

	// Feeds: the member's own person (Mia) and another person (Sam).
	for _, target := range []string{"own person", "another person"} {
		target := target
		person := func(x *authzCtx) string {
			if target == "own person" {
				return x.f.mia
			}
			return x.f.sam
		}
		manage := want(401, 0, 0, 403, 403)
		if target == "own person" {
			manage = want(401, 0, 0, 0, 403)
		}
		with := func(ok int) outcome {
			o := outcome{}
			for r, st := range manage {
				if st == 0 {
					st = ok
				}
				o[r] = st
			}
			return o
		}
		// build issues a feed first, so a refusal can be seen to leave it
		// working and an allowed call to replace or revoke it.
		build := func(t *testing.T, x *authzCtx) authzReq {
			return authzReq{path: "/api/v1/people/" + person(x) + "/feed", ref: x.newFeed(t, person(x))}
		}
		stillWorks := func(t *testing.T, x *authzCtx, q authzReq) {
			if st := x.feedStatus(t, q.ref); st != 200 {
				t.Errorf("refused request turned the feed off (%d)", st)
			}
		}
		cases = append(cases,
			authzCase{method: "POST", route: "/api/v1/people/{id}/feed", target: target, want: with(201), build: build,
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					var fu struct{ URL string }
					r.decode(t, &fu)
					if st := x.feedStatus(t, x.feedPath(t, fu.URL)); st != 200 {
						t.Errorf("new feed answers %d", st)
					}
					if st := x.feedStatus(t, q.ref); st != 404 {
						t.Errorf("the replaced feed still answers %d", st)
					}
				},
				refused: stillWorks},
			authzCase{method: "DELETE", route: "/api/v1/people/{id}/feed", target: target, want: with(204), build: build,
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if st := x.feedStatus(t, q.ref); st != 404 {
						t.Errorf("revoked feed still answers %d", st)
					}
				},
				refused: stillWorks},
		)
	}

	// The feed itself needs no session: anyone with the URL reads it, and a
	// revoked URL is 404 for everyone, signed in or not.
	cases = append(cases,
		authzCase{method: "GET", route: "/feeds/{token}", target: "live", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				b := x.newBooking(t, "other", 0)
				return authzReq{path: x.newFeed(t, x.f.sam), ref: b.ID}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if r.Header.Get("Content-Type") != builtin.ContentType || !bytes.Contains(r.Body, []byte(builtin.UID(q.ref))) {
					t.Errorf("feed lacks booking %s: %v\n%s", q.ref, r.Header, r.Body)
				}
			}},
		authzCase{method: "GET", route: "/feeds/{token}", target: "revoked", want: want(404, 404, 404, 404, 404),
			build: func(t *testing.T, x *authzCtx) authzReq {
				p := x.newFeed(t, x.f.sam)
				x.admin.must(204, "DELETE", "/api/v1/people/"+x.f.sam+"/feed", nil)
				return authzReq{path: p}
			}},
	)
	return cases
}

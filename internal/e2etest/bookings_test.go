package e2etest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

const (
	nBookings = 200
	nPeople   = 20
	// clients is how many booking requests are in flight at once.
	clients = 8
	// settleTimeout bounds the wait for every booking to be confirmed.
	// A job whose process was killed is only rescued after
	// DEBRIEF_JOBS_TIMEOUT + 1 min (River's rescuer runs every 30 s on the
	// leader, elected up to 15 s after the old one died), so the runs with
	// a SIGKILL need most of it.
	settleTimeout = 3 * time.Minute
)

func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test with real processes; skipped with -short")
	}
}

// bookingRun sends a run's booking requests and remembers, per booking,
// when it was first requested and the id Debrief gave it.
type bookingRun struct {
	t     *testing.T
	plans []bookingIn
	sent  []time.Time
	ids   []string
	// unknown marks requests that got no answer (the server died): the
	// booking may or may not exist.
	unknown []bool
}

func newBookingRun(t *testing.T, name string, people []person) *bookingRun {
	r := &bookingRun{t: t, sent: make([]time.Time, nBookings), ids: make([]string, nBookings), unknown: make([]bool, nBookings)}
	base := planBase()
	for i := range nBookings {
		r.plans = append(r.plans, bookingPlan(name, i, people, base))
	}
	return r
}

// send books the given indices with `clients` requests at once; apiFor
// picks the server for each. After each success onOK (when not nil) is
// called with the number of successes so far and a stop function: once
// stop is called no further request is started. A request that fails in
// transport is marked unknown; an HTTP error fails the test.
func (r *bookingRun) send(indices []int, apiFor func(i int) *api, onOK func(n int, stop func())) {
	var (
		next    atomic.Int64
		ok      atomic.Int64
		stopped atomic.Bool
		wg      sync.WaitGroup
		mu      sync.Mutex
	)
	for range clients {
		wg.Go(func() {
			for !stopped.Load() {
				k := int(next.Add(1)) - 1
				if k >= len(indices) {
					return
				}
				i := indices[k]
				mu.Lock()
				if r.sent[i].IsZero() {
					r.sent[i] = time.Now()
				}
				mu.Unlock()
				var b booking
				err := apiFor(i).json(context.Background(), "POST", "/api/v1/bookings", r.plans[i], &b)
				mu.Lock()
				switch {
				case err == nil:
					r.ids[i], r.unknown[i] = b.ID, false
					if b.Status != "pending" && b.Status != "confirmed" {
						r.t.Errorf("new booking %s is %q", b.ID, b.Status)
					}
				case isHTTPError(err):
					r.t.Errorf("book %q: %v", r.plans[i].Title, err)
				default:
					r.unknown[i] = true
				}
				mu.Unlock()
				if err == nil && onOK != nil {
					onOK(int(ok.Add(1)), func() { stopped.Store(true) })
				}
			}
		})
	}
	wg.Wait()
}

// recover finds, on a fresh server, the bookings whose request got no
// answer or was never sent: one found by its unique title exists already
// and is adopted; any other is booked now. It returns how many were
// adopted and how many booked again.
func (r *bookingRun) recover(a *api) (adopted, booked int) {
	r.t.Helper()
	all, err := listBookings(context.Background(), a, "")
	if err != nil {
		r.t.Fatalf("list bookings after restart: %v", err)
	}
	byTitle := map[string]string{}
	for _, b := range all {
		if _, dup := byTitle[b.Title]; dup {
			r.t.Errorf("two bookings titled %q", b.Title)
		}
		byTitle[b.Title] = b.ID
	}
	var todo []int
	for i, p := range r.plans {
		if r.ids[i] != "" {
			if byTitle[p.Title] != r.ids[i] {
				r.t.Errorf("booking %s (%q) acknowledged before the kill is not listed after it", r.ids[i], p.Title)
			}
			continue
		}
		if id, ok := byTitle[p.Title]; ok {
			r.ids[i], r.unknown[i] = id, false
			adopted++
			continue
		}
		todo = append(todo, i)
	}
	r.send(todo, func(int) *api { return a }, nil)
	for _, i := range todo {
		if r.ids[i] == "" {
			r.t.Fatalf("booking %q still not made after the restart", r.plans[i].Title)
		}
	}
	return adopted, len(todo)
}

// figures are a run's timings: from each booking request to the moment
// Debrief recorded the booking confirmed (its updated_at), and bookings
// confirmed per second from the first request to the last confirmation
// (and to the 99th percentile's, which one unlucky booking retried many
// times with exponential backoff does not move).
type figures struct {
	p50, p99, max time.Duration
	wall          time.Duration
	perSecond     float64
	perSecond99   float64
	requestsDone  time.Duration
}

func (r *bookingRun) figures(bookings []booking, requestsDone time.Time) figures {
	byID := map[string]booking{}
	for _, b := range bookings {
		byID[b.ID] = b
	}
	var lat []time.Duration
	var done []time.Time
	first := r.sent[0]
	for i, id := range r.ids {
		b := byID[id]
		lat = append(lat, b.UpdatedAt.Sub(r.sent[i]))
		done = append(done, b.UpdatedAt)
		if r.sent[i].Before(first) {
			first = r.sent[i]
		}
	}
	slices.Sort(lat)
	slices.SortFunc(done, time.Time.Compare)
	pct := func(p float64) int { return min(len(lat)-1, int(p*float64(len(lat)))) }
	wall := done[len(done)-1].Sub(first)
	n99 := pct(0.99)
	return figures{p50: lat[pct(0.50)], p99: lat[n99], max: lat[len(lat)-1], wall: wall,
		perSecond:    float64(len(lat)) / wall.Seconds(),
		perSecond99:  float64(n99+1) / done[n99].Sub(first).Seconds(),
		requestsDone: requestsDone.Sub(first)}
}

func (f figures) String() string {
	return fmt.Sprintf("request→confirmed p50 %s p99 %s max %s; %d bookings confirmed in %s = %.1f/s (%.1f/s to the 99th percentile); requests answered in %s",
		f.p50.Round(time.Millisecond), f.p99.Round(time.Millisecond), f.max.Round(time.Millisecond),
		nBookings, f.wall.Round(time.Millisecond), f.perSecond, f.perSecond99, f.requestsDone.Round(time.Millisecond))
}

// insertCounts summarizes the fake's log of events.insert requests.
type insertCounts struct {
	created, exists, lost, faulted, total int
}

func countInserts(reqs []calendartest.Request) insertCounts {
	var c insertCounts
	for _, rq := range reqs {
		if rq.Op != calendartest.OpInsert {
			continue
		}
		c.total++
		switch rq.Status {
		case 200:
			c.created++
		case 409:
			c.exists++
		default:
			c.faulted++
		}
		if rq.Fault == calendartest.FaultLostReply {
			c.lost++
		}
	}
	return c
}

// sqliteEnv prepares a serve environment on a new SQLite file.
func sqliteEnv(t *testing.T, fake *fakeGoogle, conference string) map[string]string {
	dir := t.TempDir()
	return serveEnv(t, "sqlite:"+filepath.Join(dir, "debrief.db"), dir, fake, serviceAccountFile(t, fake.URL), conference)
}

// postgresEnv prepares a serve environment on a new PostgreSQL database
// (127.0.0.1:5432, see dbtest).
func postgresEnv(t *testing.T, fake *fakeGoogle, conference string) map[string]string {
	return serveEnv(t, dbtest.CreatePostgres(t), t.TempDir(), fake, serviceAccountFile(t, fake.URL), conference)
}

// TestBookingThroughput books 200 times through one serve process, on
// SQLite and on PostgreSQL, against the fake Google without faults and
// with 30% faults of every kind, and reports how fast bookings are
// confirmed. Every booking must end confirmed with exactly one event on
// the calendar, and each push must have run once.
func TestBookingThroughput(t *testing.T) {
	skipShort(t)
	for _, tc := range []struct {
		db   string
		rate float64
	}{{"sqlite", 0}, {"sqlite", 0.3}, {"postgres", 0}, {"postgres", 0.3}} {
		t.Run(fmt.Sprintf("%s/faults=%g", tc.db, tc.rate), func(t *testing.T) {
			fake := startFakeGoogle(t, fakeOptions{FaultRate: tc.rate, Seed: 42})
			var env map[string]string
			if tc.db == "sqlite" {
				env = sqliteEnv(t, fake, "hangoutsMeet")
			} else {
				env = postgresEnv(t, fake, "hangoutsMeet")
			}
			token := adminToken(t, env)
			srv := startServe(t, "serve", env)
			a := newAPI(srv.URL, token)
			people := importPeople(t, a, nPeople)

			r := newBookingRun(t, "throughput", people)
			all := make([]int, nBookings)
			for i := range all {
				all[i] = i
			}
			r.send(all, func(int) *api { return a }, nil)
			requestsDone := time.Now()
			for i, id := range r.ids {
				if id == "" {
					t.Fatalf("booking %q got no answer", r.plans[i].Title)
				}
			}
			bookings := waitSettled(t, a, settleTimeout)
			checkCalendar(t, fake, bookings, nBookings)
			f := r.figures(bookings, requestsDone)
			st := fakeStats(t, fake)
			ins := countInserts(fakeRequests(t, fake))
			t.Logf("%s, one process, fault rate %.1f: %s", tc.db, tc.rate, f)
			t.Logf("fake: %d calendar requests, faults %v; inserts: %d created, %d refused as existing, %d lost replies, %d faulted",
				sum(st.Requests)-st.Requests[calendartest.OpToken], st.Faults, ins.created, ins.exists, ins.lost, ins.faulted)
			if n := st.Requests[calendartest.OpPatch] + st.Requests[calendartest.OpUpdate]; n != 0 {
				t.Errorf("%d event updates; bookings pushed once need none", n)
			}
			if !srv.stop(30 * time.Second) {
				t.Error("serve did not stop within 30s of SIGTERM")
			}
			jobs := pushJobs(t, env["DEBRIEF_DATABASE_URL"])
			attempts := checkOneJobEach(t, jobs, bookings)
			checkRanOnce(t, jobs, attempts, ins, nBookings)
			t.Logf("%d push attempts for %d bookings", attempts, nBookings)
		})
	}
}

func sum[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestTwoServeProcessesOnePostgres runs two serve processes on one
// PostgreSQL database, as behind a load balancer, and sends the booking
// requests to them in turn with 30% faults at the fake Google. Each
// booking's push job must run once, whichever process took the request:
// one job per booking, one event per booking, no attempt River did not
// account for (see checkRanOnce), no updates, and both processes working
// jobs.
func TestTwoServeProcessesOnePostgres(t *testing.T) {
	skipShort(t)
	fake := startFakeGoogle(t, fakeOptions{FaultRate: 0.3, Seed: 7})
	env := postgresEnv(t, fake, "hangoutsMeet")
	token := adminToken(t, env)
	envB := map[string]string{}
	for k, v := range env {
		envB[k] = v
	}
	envB["DEBRIEF_DATA_DIR"] = t.TempDir()
	srvs := []*serveProc{startServe(t, "serve-a", env), startServe(t, "serve-b", envB)}
	apis := []*api{newAPI(srvs[0].URL, token), newAPI(srvs[1].URL, token)}
	people := importPeople(t, apis[1], nPeople)

	r := newBookingRun(t, "two-processes", people)
	all := make([]int, nBookings)
	for i := range all {
		all[i] = i
	}
	r.send(all, func(i int) *api { return apis[i%2] }, nil)
	requestsDone := time.Now()
	for i, id := range r.ids {
		if id == "" {
			t.Fatalf("booking %q got no answer", r.plans[i].Title)
		}
	}
	bookings := waitSettled(t, apis[0], settleTimeout)
	checkCalendar(t, fake, bookings, nBookings)
	f := r.figures(bookings, requestsDone)
	t.Logf("PostgreSQL, two processes, fault rate 0.3: %s", f)

	ins := countInserts(fakeRequests(t, fake))
	st := fakeStats(t, fake)
	t.Logf("fake: %d calendar requests, faults %v; inserts: %d created, %d refused as existing, %d lost replies, %d faulted",
		sum(st.Requests)-st.Requests[calendartest.OpToken], st.Faults, ins.created, ins.exists, ins.lost, ins.faulted)
	if n := st.Requests[calendartest.OpPatch] + st.Requests[calendartest.OpUpdate]; n != 0 {
		t.Errorf("%d event updates; a booking pushed once needs none", n)
	}

	for _, s := range srvs {
		if !s.stop(30 * time.Second) {
			t.Errorf("%s did not stop within 30s of SIGTERM", s.name)
		}
	}
	jobs := pushJobs(t, env["DEBRIEF_DATABASE_URL"])
	attempts := checkOneJobEach(t, jobs, bookings)
	checkRanOnce(t, jobs, attempts, ins, nBookings)
	t.Logf("%d push attempts for %d bookings", attempts, nBookings)
	// Both processes worked jobs (River's client id names the process
	// that made each attempt).
	workers := map[string]int{}
	for _, j := range jobs {
		if n := len(j.AttemptedBy); n > 0 {
			workers[j.AttemptedBy[n-1]]++
		}
	}
	t.Logf("push jobs completed per process: %v", workers)
	if len(workers) != 2 {
		t.Errorf("push jobs were completed by %d processes, want both", len(workers))
	}
}

// TestBookingsSurviveSIGKILL books 200 times with 30% faults, kills the
// serve process with SIGKILL after 80 bookings were acknowledged (while
// push jobs are queued and running), restarts it on the same database and
// books the rest, re-sending only requests whose booking does not exist.
// Every booking must end confirmed with exactly one event.
func TestBookingsSurviveSIGKILL(t *testing.T) {
	skipShort(t)
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fake := startFakeGoogle(t, fakeOptions{FaultRate: 0.3, Seed: 1234})
			// Without Meet links: a conference becoming ready changes the
			// event's etag, which would hide what a re-run push does to an
			// unchanged event (see the updates below).
			var env map[string]string
			if d == "sqlite" {
				env = sqliteEnv(t, fake, "")
			} else {
				env = postgresEnv(t, fake, "")
			}
			token := adminToken(t, env)
			srv := startServe(t, "serve-1", env)
			a := newAPI(srv.URL, token)
			people := importPeople(t, a, nPeople)

			r := newBookingRun(t, "sigkill", people)
			all := make([]int, nBookings)
			for i := range all {
				all[i] = i
			}
			const killAfter = 80
			var killedAt time.Time
			r.send(all, func(int) *api { return a }, func(n int, stop func()) {
				if n == killAfter {
					stop()
					srv.kill()
					killedAt = time.Now()
				}
			})
			if killedAt.IsZero() {
				t.Fatal("the server was never killed")
			}
			acked, unknown := 0, 0
			for i := range r.ids {
				if r.ids[i] != "" {
					acked++
				}
				if r.unknown[i] {
					unknown++
				}
			}
			jobs := pushJobs(t, env["DEBRIEF_DATABASE_URL"])
			states := map[string]int{}
			doneRunning := 0
			for _, j := range jobs {
				states[j.State]++
				if j.State == "running" && j.BookingStatus == "confirmed" {
					doneRunning++
				}
			}
			live := fakeStats(t, fake).Live
			t.Logf("killed after %d bookings acknowledged (%d requests unanswered); push jobs at the kill: %v (%d of the running ones had confirmed their booking); events on the calendar: %d",
				acked, unknown, states, doneRunning, live)
			if states["completed"] == len(jobs) {
				t.Fatalf("every push job had finished at the kill (%v): the kill proves nothing", states)
			}

			srv2 := startServe(t, "serve-2", env)
			a2 := newAPI(srv2.URL, token)
			adopted, booked := r.recover(a2)
			t.Logf("after the restart: %d unanswered bookings existed and were adopted, %d booked", adopted, booked)
			bookings := waitSettled(t, a2, settleTimeout)
			t.Logf("%s: all %d bookings confirmed %s after the kill", d, len(bookings), time.Since(killedAt).Round(time.Millisecond))
			waitJobsDone(t, env["DEBRIEF_DATABASE_URL"], max(30*time.Second, settleTimeout-time.Since(killedAt)))
			t.Logf("%s: every push job completed %s after the kill", d, time.Since(killedAt).Round(time.Millisecond))
			checkCalendar(t, fake, bookings, nBookings)
			reqs := fakeRequests(t, fake)
			ins := countInserts(reqs)
			st := fakeStats(t, fake)
			t.Logf("fake: %d calendar requests, faults %v; inserts: %d created, %d refused as existing, %d lost replies, %d faulted",
				sum(st.Requests)-st.Requests[calendartest.OpToken], st.Faults, ins.created, ins.exists, ins.lost, ins.faulted)
			if ins.created != nBookings {
				t.Errorf("the fake created %d events through inserts, want %d", ins.created, nBookings)
			}
			// River records a job's completion asynchronously, so a job
			// killed after its work was done runs again after the rescue.
			// Push used to update the (unchanged) event again with
			// sendUpdates=all, re-notifying its attendees; a confirmed
			// booking now makes a re-run a no-op, so no update may reach
			// the calendar at all.
			applied, patched := 0, map[int]int{}
			for _, rq := range reqs {
				if rq.Op == calendartest.OpPatch || rq.Op == calendartest.OpUpdate {
					patched[rq.Status]++
					if rq.Status == 200 {
						applied++
					}
				}
			}
			t.Logf("event updates, per status: %v; %d applied (attendees re-notified), %d jobs had confirmed their booking but were still running at the kill",
				patched, applied, doneRunning)
			if applied > 0 {
				t.Errorf("%d event updates applied to unchanged events after the restart: attendees were re-notified for nothing", applied)
			}
			if !srv2.stop(30 * time.Second) {
				t.Error("serve did not stop within 30s of SIGTERM")
			}
			checkOneJobEach(t, pushJobs(t, env["DEBRIEF_DATABASE_URL"]), bookings)
		})
	}
}

package bookings_test

import (
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

// A pending booking whose push job vanished gets a new one; one whose job
// is still queued does not get a second; confirmed ones are left alone.
func TestRequeueStalled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana, lee := fx.person("Dana Ortiz"), fx.person("Lee Chen")
		stuck := fx.book(input("Stuck", "10:00", "10:30", dana, lee))
		done := fx.book(input("Done", "11:00", "11:30", dana, lee))
		if err := fx.svc.Push(ctx, done.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		// While the original push jobs are still queued, nothing is added.
		n, err := fx.svc.RequeueStalled(ctx, -time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("first sweep looked at %d (%v), want the one pending booking", n, err)
		}
		if got := len(fx.jobs()); got != 2 {
			t.Fatalf("%d jobs after a sweep with jobs queued, want the original 2", got)
		}
		// The job is lost (its process died on its last attempt).
		if err := db.Gorm.WithContext(ctx).Exec("UPDATE bookingstest_jobs SET done = true").Error; err != nil {
			t.Fatal(err)
		}
		// Too recent: left alone.
		if n, _ := fx.svc.RequeueStalled(ctx, time.Hour); n != 0 {
			t.Fatalf("a booking updated a moment ago was swept (%d)", n)
		}
		if n, err := fx.svc.RequeueStalled(ctx, -time.Hour); err != nil || n != 1 {
			t.Fatalf("sweep: %d, %v", n, err)
		}
		pending := fx.pending()
		if len(pending) != 1 || pending[0].BookingID != stuck.ID {
			t.Fatalf("pending jobs after the sweep: %+v, want one push for %s", pending, stuck.ID)
		}
		fx.work()
		if got := fx.get(stuck.ID); got.Status != "confirmed" {
			t.Fatalf("stuck booking after the new push: %s", got.Status)
		}
	})
}

// The default provider follows the Google connection while Debrief runs:
// an admin connecting or disconnecting Google changes where the next
// booking goes, without a restart.
func TestDefaultsFollowTheConnection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		connected := false
		svc := fx.service(map[string]calendar.Provider{"google": fx.cal}, fx.queue, bookings.WithDefaults(func() (string, string) {
			if connected {
				return bookings.ProviderGoogle, ""
			}
			return bookings.ProviderBuiltin, ""
		}))
		dana, lee := fx.person("Dana Ortiz"), fx.person("Lee Chen")
		b, err := svc.Create(t.Context(), fx.facil, input("Before", "10:00", "10:30", dana, lee))
		if err != nil || b.Provider != bookings.ProviderBuiltin || b.Status != bookings.StatusConfirmed {
			t.Fatalf("disconnected: %+v %v", b, err)
		}
		connected = true
		b, err = svc.Create(t.Context(), fx.facil, input("After", "11:00", "11:30", dana, lee))
		if err != nil || b.Provider != bookings.ProviderGoogle || b.Status != bookings.StatusPending {
			t.Fatalf("connected: %+v %v", b, err)
		}
	})
}

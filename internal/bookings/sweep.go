package bookings

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RequeueArgs asks for a sweep of bookings stuck in pending.
type RequeueArgs struct{}

// Kind names the job.
func (RequeueArgs) Kind() string { return "booking_requeue_stalled" }

// RequeueStalled gives every booking that has been pending for longer than
// olderThan a fresh push job. A push job can vanish without marking its
// booking: River discards a job that was running on its last attempt when
// its process died, and a last attempt can fail for a reason of Debrief's
// own (the database was down) rather than the calendar's. Without this
// sweep such a booking would stay "Sending…" for ever. The enqueue is
// unique, so a booking whose job is merely waiting to retry gets no
// second one. It returns how many bookings it looked at.
func (s *Service) RequeueStalled(ctx context.Context, olderThan time.Duration) (int, error) {
	var ids []string
	cutoff := s.clock().Add(-olderThan)
	err := s.db.WithContext(ctx).Model(&bookingRow{}).
		Where("status = ? AND updated_at < ?", string(StatusPending), cutoff).
		Order("updated_at").Limit(500).Pluck("id", &ids).Error
	if err != nil {
		return 0, fmt.Errorf("find stalled bookings: %w", err)
	}
	for _, id := range ids {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.enqueue(ctx, tx, PushArgs{BookingID: id}, &EnqueueOpts{UniqueByArgs: true})
		})
		if err != nil {
			return 0, fmt.Errorf("requeue booking %s: %w", id, err)
		}
	}
	return len(ids), nil
}

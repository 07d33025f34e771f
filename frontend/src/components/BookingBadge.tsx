import type { Booking, BookingStatus } from '../api/scheduling'
import '../schedule.css'

const labels: Record<BookingStatus, string> = {
  pending: 'Sending…',
  confirmed: 'Confirmed',
  failed: 'Failed',
  canceled: 'Canceled',
  needs_attention: 'Needs attention',
}

const tones: Record<BookingStatus, string> = {
  pending: 'booking-pending',
  confirmed: 'booking-confirmed',
  failed: 'booking-failed',
  canceled: 'booking-canceled',
  needs_attention: 'booking-attention',
}

type Status = Pick<Booking, 'status' | 'last_error' | 'attention_reason'>

/** Why a booking needs someone: the last error of a failed one, the reason of one that needs attention. */
export function bookingReason(booking: Status): string {
  if (booking.status === 'failed') return booking.last_error
  if (booking.status === 'needs_attention') return booking.attention_reason
  return ''
}

/** A booking's status as a coloured badge. */
export function BookingBadge({ booking }: { booking: Status }) {
  return (
    <span className={`badge badge-${tones[booking.status]}`} data-status={booking.status}>
      {labels[booking.status]}
    </span>
  )
}

/** The badge's reason as a line of its own, when there is one. */
export function BookingReason({ booking }: { booking: Status }) {
  const why = bookingReason(booking)
  if (!why) return null
  return (
    <div className={`booking-why booking-why-${booking.status}`} data-testid="booking-reason">
      {why}
    </div>
  )
}

// Package scheduling is Debrief's scheduling engine. Given people (IANA zone and
// weekly working hours), their busy time and a request (window, meeting length,
// step and constraints), Find returns ranked candidate slots and, for each slot,
// who is free, busy or unknown.
//
// The package is pure: no I/O, no package-level mutable state, and the same
// input always gives the same output. Callers fetch calendars, the engine only
// decides, which keeps it testable against a brute-force oracle.
//
// Wall-clock rules:
//
//   - Working hours are local wall-clock times, expanded per local calendar date
//     in the person's zone (weekday from that local date), so a 09:00-17:00 day
//     is eight real hours on a DST day and a night shift over a clock change is
//     an hour shorter or longer.
//   - A boundary takes effect the first time the local clock reaches it: one
//     that falls in a spring-forward gap (02:30 in New York on the change night)
//     takes effect at the end of the gap (03:00); one that occurs twice after a
//     fall-back takes effect at its first occurrence.
//   - Ranges that touch (09:00-12:00 and 12:00-13:00) or run past midnight
//     (22:00-06:00) form one stretch that a meeting may cross.
//
// A person is free for a slot when the whole meeting lies inside one working
// stretch, within their meeting limits, and clear of busy time widened by the
// buffer. Known reasons to be unavailable (hours, limits, busy time, Debrief's
// own meetings) win over missing data; otherwise a calendar that could not be
// read makes the person unknown, never free.
package scheduling

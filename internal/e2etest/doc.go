// Package e2etest holds end-to-end tests that build the real binaries
// (cmd/debrief and calendartest's cmd/fakegoogle) and run them as separate
// processes on the loopback interface: bookings through the HTTP API
// against the fake Google Calendar with injected faults, a serve process
// killed with SIGKILL and restarted on the same database, and two serve
// processes sharing one PostgreSQL database.
//
// The package has no code of its own; the tests are in the _test.go files.
// They take a few minutes and are skipped with -short.
package e2etest

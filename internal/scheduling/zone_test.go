package scheduling

import (
	"slices"
	"testing"
	"time"
)

// firstReaching must not depend on what it was asked before: a cursor left
// in the post-fall-back segment must still find the first occurrence of a
// repeated time, and one left before a gap must still land at its end.
func TestFirstReachingIndependentOfHistory(t *testing.T) {
	ny := loc(t, "America/New_York")
	wall := func(s string) int64 { return at(t, s).Unix() } // civil time written as UTC
	tests := []struct {
		name         string
		before, wall string
		want         string
	}{
		{"repeated 01:30 after visiting EST", "2024-11-03T03:00:00Z", "2024-11-03T01:30:00Z", "2024-11-03T05:30:00Z"},
		{"repeated 01:00 after visiting EST", "2024-11-03T09:00:00Z", "2024-11-03T01:00:00Z", "2024-11-03T05:00:00Z"},
		{"gap 02:30 after visiting EST", "2024-03-09T12:00:00Z", "2024-03-10T02:30:00Z", "2024-03-10T07:00:00Z"},
		{"gap 02:30 after visiting EDT", "2024-03-11T12:00:00Z", "2024-03-10T02:30:00Z", "2024-03-10T07:00:00Z"},
		{"ordinary time far from changes", "2024-06-01T12:00:00Z", "2024-06-02T09:00:00Z", "2024-06-02T13:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := zoneCursor{loc: ny}
			z.firstReaching(wall(tt.before))
			got := time.Unix(z.firstReaching(wall(tt.wall)), 0).UTC().Format(time.RFC3339)
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestLocalDays(t *testing.T) {
	// Sao Paulo, 2018-02-18 00:00 -02 went back to 23:00 -03 on the 17th:
	// the 17th lasts 25 hours over two offset segments and is one piece.
	sp := loc(t, "America/Sao_Paulo")
	u := func(s string) int64 { return at(t, s).Unix() }
	feb17 := time.Date(2018, 2, 17, 0, 0, 0, 0, time.UTC).Unix() / 86400
	got := localDays(sp, u("2018-02-17T01:00:00Z"), u("2018-02-18T04:00:00Z"), nil)
	want := []dayPiece{
		{u("2018-02-17T01:00:00Z"), u("2018-02-17T02:00:00Z"), feb17 - 1},
		{u("2018-02-17T02:00:00Z"), u("2018-02-18T03:00:00Z"), feb17},
		{u("2018-02-18T03:00:00Z"), u("2018-02-18T04:00:00Z"), feb17 + 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	// Spring forward at midnight: 2018-11-04 starts at 01:00 -02, 03:00Z.
	nov3 := time.Date(2018, 11, 3, 0, 0, 0, 0, time.UTC).Unix() / 86400
	got = localDays(sp, u("2018-11-04T02:00:00Z"), u("2018-11-04T05:00:00Z"), nil)
	want = []dayPiece{
		{u("2018-11-04T02:00:00Z"), u("2018-11-04T03:00:00Z"), nov3},
		{u("2018-11-04T03:00:00Z"), u("2018-11-04T05:00:00Z"), nov3 + 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

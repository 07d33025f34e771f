package pagination_test

import (
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/pagination"
)

func TestTimeIDCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 8, 7, 30, 0, 123456789, time.FixedZone("x", -5*3600))
	c := pagination.EncodeTimeID(at, "0191D7A4-5B2C-7D3E-8F40-123456789ABC")
	got, id, err := pagination.DecodeTimeID(c)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(at.Truncate(time.Microsecond)) || got.Location() != time.UTC || id != "0191d7a4-5b2c-7d3e-8f40-123456789abc" {
		t.Fatalf("got %v %q", got, id)
	}
	for _, bad := range []string{"", "nope", pagination.Encode("yesterday", "0191d7a4-5b2c-7d3e-8f40-123456789abc"),
		pagination.Encode(at.Format(time.RFC3339), "not-a-uuid"), pagination.Encode("a")} {
		if _, _, err := pagination.DecodeTimeID(bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestParseBound(t *testing.T) {
	var f apperr.Fields
	if got, ok := pagination.ParseBound(&f, "from", "2026-10-16", false); !ok || !got.Equal(time.Date(2026, 10, 16, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("lower date: %v %v", got, ok)
	}
	if got, ok := pagination.ParseBound(&f, "to", "2026-10-16", true); !ok || !got.Equal(time.Date(2026, 10, 17, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("upper date means the end of the day: %v %v", got, ok)
	}
	if got, ok := pagination.ParseBound(&f, "to", "2026-10-16T14:00:00+02:00", true); !ok || !got.Equal(time.Date(2026, 10, 16, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("time: %v %v", got, ok)
	}
	if _, ok := pagination.ParseBound(&f, "to", "", true); ok || f.Len() != 0 {
		t.Fatal("empty is no bound and no error")
	}
	if _, ok := pagination.ParseBound(&f, "from", "last week", false); ok || f.Len() != 1 {
		t.Fatal("garbage must add a field error")
	}
}

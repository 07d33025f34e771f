package idgen_test

import (
	"testing"

	"github.com/debrief-dev/debrief/internal/idgen"
)

func TestCanonical(t *testing.T) {
	a, b := idgen.New(), idgen.New()
	if a == b {
		t.Fatal("two new ids are equal")
	}
	if got, ok := idgen.Canonical(" 0191D7A4-5B2C-7D3E-8F40-123456789ABC "); !ok || got != "0191d7a4-5b2c-7d3e-8f40-123456789abc" {
		t.Fatalf("got %q %v", got, ok)
	}
	for _, bad := range []string{"", "nope", "0191d7a4-5b2c-7d3e-8f40"} {
		if _, ok := idgen.Canonical(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

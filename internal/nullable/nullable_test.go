package nullable_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/nullable"
)

type patch struct {
	Name  *string `json:"name"`
	Owner *string `json:"owner"`
}

func (p *patch) UnmarshalJSON(b []byte) error {
	type plain patch
	return nullable.DecodeClearable(b, (*plain)(p), "owner")
}

func TestNullClearsAbsentKeeps(t *testing.T) {
	var p patch
	if err := json.Unmarshal([]byte(`{"owner": null}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Owner == nil || *p.Owner != "" || p.Name != nil {
		t.Fatalf("null owner: %+v", p)
	}
	p = patch{}
	if err := json.Unmarshal([]byte(`{"name": "x"}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Owner != nil || p.Name == nil || *p.Name != "x" {
		t.Fatalf("absent owner: %+v", p)
	}
	// null in a field not listed stays "no change".
	p = patch{}
	if err := json.Unmarshal([]byte(`{"name": null}`), &p); err != nil || p.Name != nil {
		t.Fatalf("null name: %+v %v", p, err)
	}
}

func TestUnknownFieldsAndBadJSONAreErrors(t *testing.T) {
	var p patch
	if err := json.Unmarshal([]byte(`{"colour": "red"}`), &p); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Fatalf("unknown field: %v", err)
	}
	if err := json.Unmarshal([]byte(`[1]`), &p); err == nil {
		t.Fatal("array accepted")
	}
}

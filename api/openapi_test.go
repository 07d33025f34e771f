package api_test

import (
	"context"
	"net/http"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/debrief-dev/debrief/api"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	return doc
}

func TestSpecIsValid(t *testing.T) {
	doc := loadSpec(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version = %q, want 3.0.3", doc.OpenAPI)
	}
}

func TestEveryOperationHasIDAndSuccess(t *testing.T) {
	doc := loadSpec(t)
	seen := map[string]string{}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	n := 0
	for _, path := range paths {
		for method, op := range doc.Paths.Value(path).Operations() {
			n++
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", where)
			} else if prev, dup := seen[op.OperationID]; dup {
				t.Errorf("%s: operationId %q already used by %s", where, op.OperationID, prev)
			} else {
				seen[op.OperationID] = where
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s: no tags", where)
			}
			// Success is 2xx, or a redirect for the operations that are
			// browser navigations (sign-in with Google's start and callback).
			ok := false
			for code := http.StatusOK; code < 400; code++ {
				if op.Responses.Status(code) != nil {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s: no 2xx or 3xx response", where)
			}
		}
	}
	if n == 0 {
		t.Fatal("no operations found")
	}
}

package main

import (
	"slices"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

// TestLanguageSettingsOverHTTP: an admin turning a category off silences it
// in every check for everyone, and turning it back on restores it.
func TestLanguageSettingsOverHTTP(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, nil)
	admin := s.setup(t, c)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "fran@example.com", "name": "Fran Facilitator",
		"role": "facilitator", "password": "a long password for fran"})
	fac := s.signIn(t, c, "fran@example.com", "a long password for fran")

	const why = "Why did you restart it?"
	categories := func(cl *client) []string {
		t.Helper()
		var res struct {
			Flags []struct {
				Category string `json:"category"`
			} `json:"flags"`
		}
		cl.must(200, "POST", "/api/v1/language/check", map[string]string{"text": why, "kind": "question"}).decode(t, &res)
		var out []string
		for _, f := range res.Flags {
			out = append(out, f.Category)
		}
		return out
	}
	disabled := func(cl *client) []string {
		t.Helper()
		return languageDisabled(t, cl.must(200, "GET", "/api/v1/settings/language", nil))
	}

	if got := disabled(fac); got == nil || len(got) != 0 {
		t.Fatalf("a fresh server disables %v", got)
	}
	if got := categories(fac); !slices.Contains(got, "why_question") {
		t.Fatalf("%q is not flagged as a why question: %v", why, got)
	}

	// Only admins change it, and a refusal changes nothing.
	fac.must(403, "PUT", "/api/v1/settings/language", map[string]any{"disabled": []string{"why_question"}}).problem(t)
	if got := disabled(admin); len(got) != 0 {
		t.Fatalf("refused PUT disabled %v", got)
	}

	// Duplicates are dropped and the list comes back sorted.
	r := admin.must(200, "PUT", "/api/v1/settings/language", map[string]any{"disabled": []string{"why_question", "minimizing", "why_question"}})
	if got := languageDisabled(t, r); !slices.Equal(got, []string{"minimizing", "why_question"}) {
		t.Fatalf("PUT answered %s", r.Body)
	}
	if got := disabled(fac); !slices.Equal(got, []string{"minimizing", "why_question"}) {
		t.Fatalf("facilitator reads %v", got)
	}
	if got := categories(fac); slices.Contains(got, "why_question") {
		t.Fatalf("why_question still flagged while disabled: %v", got)
	}

	// Bad bodies are 400s that leave the setting alone.
	for _, body := range []any{
		map[string]any{"disabled": []string{"why_question", "sarcasm"}},
		map[string]any{},
		map[string]any{"disabled": "why_question"},
		map[string]any{"disabled": []string{}, "extra": true},
	} {
		admin.must(400, "PUT", "/api/v1/settings/language", body).problem(t)
	}
	if got := disabled(admin); !slices.Equal(got, []string{"minimizing", "why_question"}) {
		t.Fatalf("a bad PUT changed the setting to %v", got)
	}
	if fe := fieldErrors(t, admin.do("PUT", "/api/v1/settings/language", map[string]any{"disabled": []string{"sarcasm"}})); fe["disabled[0]"] == "" {
		t.Fatalf("unknown category: field errors %v", fe)
	}

	// Re-enabling brings the flag back.
	admin.must(200, "PUT", "/api/v1/settings/language", map[string]any{"disabled": []string{}})
	if got := categories(fac); !slices.Contains(got, "why_question") {
		t.Fatalf("why_question not flagged after re-enabling: %v", got)
	}
}

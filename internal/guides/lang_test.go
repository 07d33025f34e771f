package guides

import (
	"fmt"
	"testing"

	"github.com/debrief-dev/debrief/internal/langcheck"
)

// Built-in guides are the example every custom guide starts from, so their
// wording must pass Debrief's own language check without a warning: no
// "why", no counterfactuals, no blame, no "root cause", no minimizing.
func TestBuiltinLanguage(t *testing.T) {
	checker, err := langcheck.New()
	if err != nil {
		t.Fatal(err)
	}
	list, err := loadBuiltins(builtinFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range list {
		texts := []struct {
			where string
			text  string
			kind  langcheck.Kind
		}{
			{"description", b.description, langcheck.KindSummary},
			{"opener", b.content.Opener, langcheck.KindNote},
			{"closer", b.content.Closer, langcheck.KindNote},
		}
		for i, q := range b.content.Questions {
			texts = append(texts, struct {
				where string
				text  string
				kind  langcheck.Kind
			}{fmt.Sprintf("question %d (%s)", i+1, q.ID), q.Text, langcheck.KindQuestion})
			for j, p := range q.Probes {
				texts = append(texts, struct {
					where string
					text  string
					kind  langcheck.Kind
				}{fmt.Sprintf("question %d (%s) probe %d", i+1, q.ID, j+1), p, langcheck.KindQuestion})
			}
		}
		for _, tx := range texts {
			for _, fl := range checker.Check(tx.text, tx.kind) {
				if testing.Verbose() {
					t.Logf("%s %s: %s %q [%s]", b.slug, tx.where, fl.Severity, fl.Text, fl.Category)
				}
				if fl.Severity == langcheck.SeverityWarning {
					t.Errorf("%s %s: %s flag on %q (%s); suggestions: %v",
						b.slug, tx.where, fl.Category, fl.Text, fl.Explanation, fl.Suggestions)
				}
			}
		}
	}
}

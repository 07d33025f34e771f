package demo

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// String is the short report `debrief demo` prints: what was created and
// what was already there, and how to sign in.
func (s Summary) String() string {
	var b strings.Builder
	p := s.People
	fmt.Fprintf(&b, "Demo organization: %d people in %d teams, on %d levels, in %d time zones.\n",
		p.Created+p.Updated+p.Unchanged, len(p.Teams), len(p.Levels), len(p.Zones))
	fmt.Fprintf(&b, "  people: %d created, %d updated, %d already present", p.Created, p.Updated, p.Unchanged)
	if p.SystemsSet > 0 {
		fmt.Fprintf(&b, "; known systems filled in for %d", p.SystemsSet)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  time zones: %s\n", strings.Join(p.Zones, ", "))

	created, present := 0, 0
	for _, e := range s.Events {
		if e.Outcome == Created {
			created++
		} else {
			present++
		}
	}
	fmt.Fprintf(&b, "\nEvents: %d created, %d already present.\n", created, present)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, e := range s.Events {
		line := fmt.Sprintf("  %s\t%s\t%s\t%s", e.Outcome, e.Kind, e.Status, e.Title)
		if len(e.Warnings) > 0 {
			line += " [warning: " + strings.Join(e.Warnings, ", ") + "]"
		}
		_, _ = fmt.Fprintln(tw, line)
	}
	_ = tw.Flush()

	b.WriteString("\nDemo sign-ins. These are DEMO CREDENTIALS, printed for anyone to read: use them to try\n")
	b.WriteString("Debrief, and deactivate these accounts before the installation holds real data.\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, a := range s.Accounts {
		_, _ = fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Role, a.Email, a.Outcome, a.Note)
	}
	_ = tw.Flush()
	fmt.Fprintf(&b, "  password for the accounts created by the demo: %s\n", s.Password)
	return b.String()
}

package people_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/dbtest"
)

// orgCSV builds an n-person organization eight people wide per manager,
// written leaves first so that nearly every manager is defined further down
// the file than their reports: the harder case for the import.
func orgCSV(n int) string {
	zones := []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "UTC"}
	hours := []string{"", "mon-fri 09:00-17:00", "mon-thu 08:00-16:00; fri 08:00-12:00", "sun-thu 09:00-17:00"}
	levels := []string{"engineer", "senior engineer", "staff engineer", "manager", "director", "VP"}
	var b strings.Builder
	b.WriteString(header)
	for i := n - 1; i >= 0; i-- {
		manager := ""
		if i > 0 {
			manager = fmt.Sprintf("person%05d@corp.example.com", (i-1)/8)
		}
		fmt.Fprintf(&b, "Person %05d,person%05d@corp.example.com,team-%02d,%s,%s,%s,%s\n",
			i, i, i%50, levels[i%len(levels)], manager, zones[i%len(zones)], hours[i%len(hours)])
	}
	return b.String()
}

// BenchmarkImport5000 times importing a 5,000-person organization into an
// empty database (create) and importing it again (reimport: all unchanged).
func BenchmarkImport5000(b *testing.B) {
	const n = 5000
	file := orgCSV(n)
	ctx := context.Background()
	for _, d := range dbtest.Dialects() {
		b.Run(string(d)+"/create", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := newEnv(b, dbtest.New(b, d))
				b.StartTimer()
				rep, err := e.svc.Import(ctx, e.admin, strings.NewReader(file), false)
				if err != nil || rep.Created != n || len(rep.Errors) != 0 {
					b.Fatalf("import: %+v %v", rep, err)
				}
			}
		})
		b.Run(string(d)+"/reimport", func(b *testing.B) {
			e := newEnv(b, dbtest.New(b, d))
			if _, err := e.svc.Import(ctx, e.admin, strings.NewReader(file), false); err != nil {
				b.Fatal(err)
			}
			for range b.N {
				rep, err := e.svc.Import(ctx, e.admin, strings.NewReader(file), false)
				if err != nil || rep.Unchanged != n {
					b.Fatalf("reimport: %+v %v", rep, err)
				}
			}
		})
	}
}

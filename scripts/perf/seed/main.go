// Command seed is the helper behind scripts/perf/run.sh. It only talks to a
// running Debrief over HTTP on loopback (standard library only), so it keeps
// building while the internal packages change.
//
//	seed freeport                       print a free TCP port on 127.0.0.1
//	seed csv -from 0 -count 5000        write a people CSV to stdout
//	seed events -url U -token T -n 5000 create events (with statuses, systems,
//	                                    timeline entries, involvements and
//	                                    references) through the public API
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: seed freeport | csv [-from N -count N] | events -url U -token T [-n N -workers N]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "freeport":
		err = freePort()
	case "csv":
		err = csvCmd(os.Args[2:])
	case "events":
		err = eventsCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func freePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}

// ---- people CSV ----

var (
	firstNames = []string{"Ada", "Bongani", "Chen", "Dagny", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas",
		"Kalani", "Lior", "Mbali", "Nikhil", "Oksana", "Pablo", "Qiu", "Rania", "Sven", "Tariq", "Uma", "Valentina",
		"Wiremu", "Xiadani", "Yusuf", "Zofia", "Amara", "Björn", "Chiara", "Dmitri", "Élodie", "Farid", "Greta",
		"Haruto", "Ifeoma", "José", "Kirsi", "Leilani", "Mateus", "Noor"}
	lastNames = []string{"Abara", "Bergström", "Castillo", "Dubois", "Eze", "Fischer", "García", "Haddad", "Ito",
		"Jensen", "Kowalski", "Lindqvist", "Mensah", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Sato",
		"Tanaka", "Urbanski", "Van Dijk", "Wójcik", "Xu", "Yilmaz", "Zhang", "O'Brien", "Müller", "Singh", "Nguyen"}
	teamWords = []string{"payments", "checkout", "search", "identity", "ledger", "storage", "network", "mobile",
		"growth", "billing", "catalog", "fulfillment", "risk", "data", "platform", "observability", "messaging",
		"edge", "ml", "support-tools"}
	// Zones by region, including half-hour offsets and the southern hemisphere.
	zones = []string{"Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
		"America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo", "Australia/Adelaide", "Africa/Lagos",
		"America/St_Johns", "Asia/Singapore", "UTC"}
	hours = []string{"", "mon-fri 09:00-17:00", "mon-fri 08:00-16:30", "mon-thu 08:00-16:00; fri 08:00-12:00",
		"sun-thu 09:00-17:00", "mon-fri 10:00-18:30", "mon-wed 09:00-17:00", "mon-fri 22:00-06:00"}
	engineerLevels = []string{"engineer", "senior engineer", "staff engineer", "engineer", "senior engineer"}
)

const fanOut = 7

// person i's manager is (i-1)/fanOut: one VP, seven directors, 49 managers
// and so on. Levels and teams follow the position in that tree.
func level(i int) string {
	switch {
	case i == 0:
		return "VP"
	case i <= 7:
		return "director"
	case i <= 399:
		return "manager"
	}
	return engineerLevels[i%len(engineerLevels)]
}

// teamOf names the team after the ancestor at depth 3 (indexes 57..399).
func teamOf(i int) string {
	a := i
	for a > 399 {
		a = (a - 1) / fanOut
	}
	if a < 57 {
		return "leadership"
	}
	n := a - 57
	return fmt.Sprintf("%s-%d", teamWords[n%len(teamWords)], n/len(teamWords)+1)
}

func email(i int) string {
	f, l := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
	local := strings.ToLower(strings.NewReplacer(" ", "", "'", "", "ö", "o", "é", "e", "É", "e", "ü", "u", "ó", "o", "í", "i").Replace(f + "." + l))
	return fmt.Sprintf("%s.%05d@corp.example.com", local, i)
}

func name(i int) string {
	return firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)]
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n;") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// csvCmd writes people [from, from+count) in a shuffled (but fixed) order,
// so many managers appear further down the file than their reports.
func csvCmd(args []string) error {
	fs := flag.NewFlagSet("csv", flag.ContinueOnError)
	from := fs.Int("from", 0, "first person index")
	count := fs.Int("count", 5000, "number of people")
	if err := fs.Parse(args); err != nil {
		return err
	}
	idx := make([]int, *count)
	for k := range idx {
		idx[k] = *from + k
	}
	r := rand.New(rand.NewPCG(uint64(*from), 42))
	r.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
	var b bytes.Buffer
	b.WriteString("name,email,team,level,manager_email,timezone,working_hours\n")
	for _, i := range idx {
		mgr := ""
		if i > 0 {
			mgr = email((i - 1) / fanOut)
		}
		team := teamOf(i)
		zone := zones[(len(team)*7+int(team[0]))%len(zones)] // a team mostly shares a zone
		if i%11 == 0 {
			zone = zones[i%len(zones)] // and some people are remote
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s\n", csvField(name(i)), email(i), csvField(team), level(i), mgr,
			zone, csvField(hours[(i/3+i/len(firstNames))%len(hours)]))
	}
	_, err := os.Stdout.Write(b.Bytes())
	return err
}

// ---- events through the API ----

type client struct {
	base  string
	token string
	http  *http.Client
	reqs  atomic.Int64
}

func (c *client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.reqs.Add(1)
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(data)))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

type personLite struct {
	ID        string  `json:"id"`
	ManagerID *string `json:"manager_id"`
}

func (c *client) allPeople(ctx context.Context) ([]personLite, error) {
	var all []personLite
	cursor := ""
	for {
		var page struct {
			Items      []personLite `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		q := url.Values{"limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		if err := c.do(ctx, http.MethodGet, "/api/v1/people?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		cursor = page.NextCursor
	}
}

var (
	kinds       = []string{"incident", "incident", "incident", "near_miss", "near_miss", "surprise", "normal_work", "change", "change", "game_day"}
	lifecycle   = []string{"open", "gathering", "analyzing", "reviewing", "published"}
	invRoles    = []string{"responder", "responder", "incident_commander", "change_author", "owner", "noticed", "affected", "expert", "newcomer", "other"}
	tlKinds     = []string{"observation", "action", "communication", "hypothesis", "decision"}
	refKinds    = []string{"chat_log", "dashboard", "pull_request", "ticket", "document", "recording"}
	severities  = []string{"", "", "SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV4"}
	systemNames = []string{"checkout-api", "payments-gateway", "ledger", "search-indexer", "identity", "postgres-main",
		"kafka", "cdn", "dns", "kubernetes", "ci", "feature-flags", "mobile-app", "billing-batch", "email-relay",
		"object-storage", "redis-cache", "load-balancer", "vpn", "observability", "fraud-scoring", "catalog",
		"notifications", "scheduler", "data-warehouse", "auth-proxy", "service-mesh", "terraform", "backup", "sso"}
	titleParts = []string{"latency spike in", "elevated errors from", "partial outage of", "slow rollout of",
		"certificate nearly expired on", "failover drill for", "unexpected load on", "config change to",
		"degraded reads from", "queue backlog in", "routine migration of", "capacity review of"}
	summaries = []string{
		"Customers saw intermittent failures for about twenty minutes before the on-call noticed the dashboard.",
		"A routine change behaved differently in one region; the team rolled it back after a short discussion.",
		"Someone noticed the expiry date by chance while looking at something else; nothing broke.",
		"The planned exercise surfaced a gap in the runbook and a dependency nobody had written down.",
		"Work went as usual, which is worth understanding too: how did the team keep it that way?",
	}
)

// statusTarget picks a final status: many open and closed, fewer in between.
func statusTarget(r *rand.Rand) string {
	switch x := r.IntN(100); {
	case x < 20:
		return "open"
	case x < 35:
		return "gathering"
	case x < 47:
		return "analyzing"
	case x < 55:
		return "reviewing"
	case x < 70:
		return "published"
	}
	return "closed"
}

// path is the sequence of PATCHes that takes a new event to target.
func path(target string) []string {
	if target == "closed" {
		return []string{"closed"}
	}
	var out []string
	for _, s := range lifecycle[1:] {
		out = append(out, s)
		if s == target {
			return out
		}
	}
	return nil // open
}

type stats struct {
	events, patches, timeline, involvements, references atomic.Int64
}

func eventsCmd(args []string) error {
	fs := flag.NewFlagSet("events", flag.ContinueOnError)
	base := fs.String("url", "", "server base URL, e.g. http://127.0.0.1:8080")
	token := fs.String("token", "", "API token")
	n := fs.Int("n", 5000, "events to create")
	workers := fs.Int("workers", 8, "concurrent clients")
	timeout := fs.Duration("timeout", 8*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" || *token == "" {
		return errors.New("-url and -token are required")
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return fmt.Errorf("-url must be a loopback address, got %q", *base)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	c := &client{base: strings.TrimRight(*base, "/"), token: *token, http: &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers},
	}}
	start := time.Now()
	people, err := c.allPeople(ctx)
	if err != nil {
		return fmt.Errorf("list people: %w", err)
	}
	if len(people) < 100 {
		return fmt.Errorf("only %d people; import people first", len(people))
	}
	// Reports of each manager, so some investigators manage someone involved.
	reports := map[string][]string{}
	var managers []string
	for _, p := range people {
		if p.ManagerID != nil {
			if len(reports[*p.ManagerID]) == 0 {
				managers = append(managers, *p.ManagerID)
			}
			reports[*p.ManagerID] = append(reports[*p.ManagerID], p.ID)
		}
	}

	var st stats
	jobs := make(chan int)
	errc := make(chan error, *workers)
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := oneEvent(ctx, c, &st, i, people, managers, reports); err != nil {
					errc <- fmt.Errorf("event %d: %w", i, err)
					cancel()
					return
				}
			}
		}()
	}
feed:
	for i := range *n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	el := time.Since(start)
	fmt.Printf("events=%d status_patches=%d timeline=%d involvements=%d references=%d requests=%d seconds=%.2f req_per_s=%.0f\n",
		st.events.Load(), st.patches.Load(), st.timeline.Load(), st.involvements.Load(), st.references.Load(),
		c.reqs.Load(), el.Seconds(), float64(c.reqs.Load())/el.Seconds())
	return nil
}

func oneEvent(ctx context.Context, c *client, st *stats, i int, people []personLite, managers []string, reports map[string][]string) error {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	// Spread over the three years before 2026-11-20, newest first by index;
	// every sixth event starts at the same instant as the one before it.
	j := i
	if i%6 == 5 {
		j = i - 1 // same started_at as the previous event: the id breaks the tie
	}
	started := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).
		Add(-time.Duration(j) * 5 * time.Hour).Add(-time.Duration((j*7919)%240) * time.Minute)
	sysCount := 1 + r.IntN(3)
	var systems []string
	for k := range sysCount {
		systems = append(systems, systemNames[(i*3+k*11+r.IntN(4))%len(systemNames)])
	}
	in := map[string]any{
		"title":      fmt.Sprintf("%s %s", titleParts[r.IntN(len(titleParts))], systems[0]),
		"kind":       kinds[r.IntN(len(kinds))],
		"started_at": started.Format(time.RFC3339),
		"summary":    summaries[r.IntN(len(summaries))],
		"severity":   severities[r.IntN(len(severities))],
		"systems":    systems,
	}
	if r.IntN(4) != 0 {
		in["ended_at"] = started.Add(time.Duration(10+r.IntN(600)) * time.Minute).Format(time.RFC3339)
	}
	var investigator string
	if r.IntN(10) < 7 {
		if r.IntN(5) == 0 {
			investigator = managers[r.IntN(len(managers))]
		} else {
			investigator = people[r.IntN(len(people))].ID
		}
		in["investigator_id"] = investigator
	}
	var ev struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, http.MethodPost, "/api/v1/events", in, &ev); err != nil {
		return err
	}
	st.events.Add(1)
	base := "/api/v1/events/" + ev.ID
	for _, s := range path(statusTarget(r)) {
		if err := c.do(ctx, http.MethodPatch, base, map[string]any{"status": s}, nil); err != nil {
			return err
		}
		st.patches.Add(1)
	}
	// About a third of the events get involvements, a quarter a timeline,
	// one in eight references.
	if r.IntN(3) == 0 {
		seen := map[string]bool{}
		nInv := 2 + r.IntN(5)
		for k := range nInv {
			pid := people[r.IntN(len(people))].ID
			switch {
			case k == 0 && investigator != "" && r.IntN(4) == 0:
				pid = investigator // investigator was a responder: a warning
			case k == 1 && investigator != "" && len(reports[investigator]) > 0:
				rs := reports[investigator]
				pid = rs[r.IntN(len(rs))] // investigator manages someone involved
			}
			role := invRoles[r.IntN(len(invRoles))]
			if k == 0 && pid == investigator {
				role = "responder"
			}
			if seen[pid+role] {
				continue
			}
			seen[pid+role] = true
			if err := c.do(ctx, http.MethodPost, base+"/involvements",
				map[string]any{"person_id": pid, "role": role, "note": "from the on-call rota"}, nil); err != nil {
				return err
			}
			st.involvements.Add(1)
		}
	}
	if r.IntN(4) == 0 {
		for k := range 3 + r.IntN(6) {
			e := map[string]any{
				"occurred_at": started.Add(time.Duration(k*7+r.IntN(5)) * time.Minute).Format(time.RFC3339),
				"body":        fmt.Sprintf("step %d: %s", k+1, summaries[(i+k)%len(summaries)]),
				"kind":        tlKinds[r.IntN(len(tlKinds))],
			}
			if r.IntN(2) == 0 {
				e["person_id"] = people[r.IntN(len(people))].ID
			} else {
				e["actor"] = "on-call bot"
			}
			if err := c.do(ctx, http.MethodPost, base+"/timeline", e, nil); err != nil {
				return err
			}
			st.timeline.Add(1)
		}
	}
	if r.IntN(8) == 0 {
		for k := range 1 + r.IntN(3) {
			ref := map[string]any{
				"url":   fmt.Sprintf("https://tickets.example.com/%d/%d", i, k),
				"label": fmt.Sprintf("link %d", k+1),
				"kind":  refKinds[r.IntN(len(refKinds))],
			}
			if err := c.do(ctx, http.MethodPost, base+"/references", ref, nil); err != nil {
				return err
			}
			st.references.Add(1)
		}
	}
	return nil
}

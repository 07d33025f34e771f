package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

// jsonEq fails unless got (a JSON body) equals want (JSON text) as values.
func jsonEq(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: response is not JSON: %v\n%s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: expected JSON is broken: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		gi, _ := json.MarshalIndent(g, "", "  ")
		wi, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("%s:\ngot  %s\nwant %s", what, gi, wi)
	}
}

// importFile has good rows (one with a quoted comma, one whose manager
// comes later in the file) and one row for each kind of row error.
const importFile = `name,email,team,level,manager_email,timezone,working_hours
"Lovelace, Ada",Ada.L@Example.com,payments,staff engineer,grace@example.com,Europe/London,mon-fri 09:00-17:00
Grace Hopper,grace@example.com,platform,Manager,,America/New_York,"mon-thu 08:00-16:00"
Bad Zone,zone@example.com,payments,,,Europe/Berln,
Bad Hours,hours@example.com,payments,,,UTC,mon-fri 9-5
Bad Level,level@example.com,payments,wizard,,UTC,
Dup Ada,ada.l@example.com,payments,,,UTC,
No Boss,noboss@example.com,payments,,nobody@example.com,UTC,
No Email,,payments,,,UTC,
"Multi
Line",multi@example.com,payments,,,UTC,
Linus Later,linus@example.com,"kernel, core",,,Asia/Tokyo,
Bad Boss,badboss@example.com,payments,,zone@example.com,UTC,
`

const importErrors = `[
  {"line": 4, "email": "zone@example.com", "field": "timezone", "message": "unknown time zone \"Europe/Berln\""},
  {"line": 5, "email": "hours@example.com", "field": "working_hours", "message": "malformed working hours \"mon-fri 9-5\": time \"9\" is not a clock time (want HH:MM, like 09:00)"},
  {"line": 6, "email": "level@example.com", "field": "level", "message": "unknown level \"wizard\"; known levels: engineer, senior engineer, staff engineer, manager, director, VP"},
  {"line": 7, "email": "ada.l@example.com", "field": "email", "message": "email ada.l@example.com already appears on line 2; only that row is used"},
  {"line": 8, "email": "noboss@example.com", "field": "manager_email", "message": "manager nobody@example.com is neither in the file nor in Debrief"},
  {"line": 9, "email": "", "field": "email", "message": "email is required"},
  {"line": 10, "email": "multi@example.com", "field": "name", "message": "name must not contain control characters or line breaks"},
  {"line": 13, "email": "badboss@example.com", "field": "manager_email", "message": "manager zone@example.com is on line 4, which has errors"}
]`

type importedPerson struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	Team         string   `json:"team"`
	Level        *string  `json:"level"`
	ManagerID    *string  `json:"manager_id"`
	ManagerName  *string  `json:"manager_name"`
	Timezone     string   `json:"timezone"`
	WorkingHours string   `json:"working_hours"`
	Systems      []string `json:"systems"`
	Active       bool     `json:"active"`
}

func listPeople(t *testing.T, c *client) map[string]importedPerson {
	t.Helper()
	var l struct {
		Items      []importedPerson `json:"items"`
		NextCursor string           `json:"next_cursor"`
	}
	c.must(200, "GET", "/api/v1/people?active=all&limit=200", nil).decode(t, &l)
	if l.NextCursor != "" {
		t.Fatal("more than 200 people")
	}
	out := map[string]importedPerson{}
	for _, p := range l.Items {
		out[p.Email] = p
	}
	return out
}

func emails(m map[string]importedPerson) []string {
	var out []string
	for e := range m {
		out = append(out, e)
	}
	return out
}

func TestPeopleImportOverHTTP(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		s := startServer(t, d, nil)
		admin := s.setup(t, c)
		imp := func(query, body string) response {
			t.Helper()
			return admin.do("POST", "/api/v1/people/import"+query, body, "text/csv")
		}
		report := func(dry bool, created, updated, unchanged int, errs string) string {
			b, _ := json.Marshal(map[string]any{"dry_run": dry, "created": created, "updated": updated, "unchanged": unchanged})
			return strings.TrimSuffix(string(b), "}") + `,"errors":` + errs + "}"
		}
		// A dry run reports what would happen and changes nothing.
		r := admin.must(200, "POST", "/api/v1/people/import?dry_run=true", importFile, "text/csv")
		jsonEq(t, "dry run", r.Body, report(true, 3, 0, 0, importErrors))
		if got := listPeople(t, admin); len(got) != 0 {
			t.Fatalf("dry run created people: %v", emails(got))
		}
		if r := imp("?dry_run=maybe", importFile); r.Status != 400 {
			t.Fatalf("dry_run=maybe: %d %s", r.Status, r.Body)
		}

		// The real run gives the same report and writes the good rows.
		r = admin.must(200, "POST", "/api/v1/people/import", importFile, "text/csv")
		jsonEq(t, "import", r.Body, report(false, 3, 0, 0, importErrors))
		people := listPeople(t, admin)
		if !sortedEq(emails(people), []string{"ada.l@example.com", "grace@example.com", "linus@example.com"}) {
			t.Fatalf("people after import: %v", emails(people))
		}
		ada, grace, linus := people["ada.l@example.com"], people["grace@example.com"], people["linus@example.com"]
		if ada.Name != "Lovelace, Ada" || ada.Team != "payments" || ada.Level == nil || *ada.Level != "staff engineer" ||
			ada.Timezone != "Europe/London" || ada.WorkingHours != "mon-fri 09:00-17:00" || !ada.Active {
			t.Errorf("ada = %+v", ada)
		}
		// The manager came later in the file.
		if ada.ManagerID == nil || *ada.ManagerID != grace.ID || ada.ManagerName == nil || *ada.ManagerName != "Grace Hopper" {
			t.Errorf("ada's manager = %v %v, want %s", ada.ManagerID, ada.ManagerName, grace.ID)
		}
		if grace.Level == nil || *grace.Level != "manager" || grace.WorkingHours != "mon-thu 08:00-16:00" || grace.ManagerID != nil {
			t.Errorf("grace = %+v", grace)
		}
		if linus.Team != "kernel, core" || linus.Level != nil || linus.WorkingHours != "mon-fri 09:00-17:00" || linus.Timezone != "Asia/Tokyo" {
			t.Errorf("linus = %+v", linus)
		}

		// The same file again changes nothing.
		r = admin.must(200, "POST", "/api/v1/people/import", importFile, "text/csv")
		jsonEq(t, "re-import", r.Body, report(false, 0, 0, 3, importErrors))
		if again := listPeople(t, admin); !reflect.DeepEqual(again, people) {
			t.Errorf("re-import changed people:\n%+v\n%+v", again, people)
		}

		// An update: a changed team, an unchanged row and a new person whose
		// manager is already in Debrief. Columns may come in any order and case.
		update := "Email,TIMEZONE,Name,team,manager_email\n" +
			"grace@example.com,America/New_York,Grace Hopper,research,\n" +
			"linus@example.com,Asia/Tokyo,Linus Later,\"kernel, core\",\n" +
			"new@example.com,Europe/Paris,New Hire,research,GRACE@example.com\n"
		r = admin.must(200, "POST", "/api/v1/people/import?dry_run=true", update, "text/csv")
		jsonEq(t, "update dry run", r.Body, report(true, 1, 1, 1, "[]"))
		if p := listPeople(t, admin); p["grace@example.com"].Team != "platform" || len(p) != 3 {
			t.Fatalf("dry run changed people: %+v", p)
		}
		r = admin.must(200, "POST", "/api/v1/people/import?dry_run=false", update, "text/csv")
		jsonEq(t, "update", r.Body, report(false, 1, 1, 1, "[]"))
		people = listPeople(t, admin)
		if people["grace@example.com"].Team != "research" {
			t.Errorf("grace's team = %q", people["grace@example.com"].Team)
		}
		// Columns the file lacks are left alone.
		if g := people["grace@example.com"]; g.Level == nil || *g.Level != "manager" || g.WorkingHours != "mon-thu 08:00-16:00" {
			t.Errorf("grace lost fields the file does not have: %+v", g)
		}
		if n := people["new@example.com"]; n.ManagerID == nil || *n.ManagerID != grace.ID || n.Team != "research" {
			t.Errorf("new hire = %+v", n)
		}

		// Header only: nothing to do, and not an error.
		r = admin.must(200, "POST", "/api/v1/people/import", "name,email,timezone\n", "text/csv")
		jsonEq(t, "header only", r.Body, report(false, 0, 0, 0, "[]"))

		// An empty body has no header: a 400 problem that says what is needed.
		p := admin.must(400, "POST", "/api/v1/people/import", "", "text/csv").problem(t)
		if det := p["detail"].(string); !strings.Contains(det, "empty") || !strings.Contains(det, "name, email") {
			t.Errorf("empty body detail: %q", det)
		}

		// A missing required column is a 400 problem naming it, and nothing is written.
		p = admin.must(400, "POST", "/api/v1/people/import", "name,email,team\nZed,zed@example.com,x\n", "text/csv").problem(t)
		if p["type"] != "https://debrief.dev/problems/invalid" || !strings.Contains(p["detail"].(string), "timezone") {
			t.Errorf("missing column problem: %v", p)
		}
		p = admin.must(400, "POST", "/api/v1/people/import", "email,timezone\nzed@example.com,UTC\n", "text/csv").problem(t)
		if det := p["detail"].(string); !strings.Contains(det, "name") || strings.Contains(det, "timezone") {
			t.Errorf("missing name column detail: %q", det)
		}
		// An unknown column too.
		p = admin.must(400, "POST", "/api/v1/people/import", "name,email,timezone,shoe_size\nZed,zed@example.com,UTC,44\n", "text/csv").problem(t)
		if !strings.Contains(p["detail"].(string), "shoe_size") {
			t.Errorf("unknown column detail: %v", p["detail"])
		}
		if _, ok := listPeople(t, admin)["zed@example.com"]; ok {
			t.Error("a rejected file wrote a row")
		}

		// Wrong content types are 415 problems.
		for _, ct := range []string{"application/json", "text/plain", "multipart/form-data; boundary=x"} {
			p := admin.must(415, "POST", "/api/v1/people/import", "name,email,timezone\nZed,zed@example.com,UTC\n", ct).problem(t)
			if p["type"] != "https://debrief.dev/problems/unsupported_media_type" {
				t.Errorf("%s: %v", ct, p)
			}
		}
		// A charset parameter is fine.
		r = admin.must(200, "POST", "/api/v1/people/import?dry_run=true", "name,email,timezone\n", "text/csv; charset=utf-8")
		jsonEq(t, "charset", r.Body, report(true, 0, 0, 0, "[]"))

		// A spreadsheet export: byte order mark, CRLF line ends, a quoted
		// field spanning lines, and trailing empty rows. Line numbers count
		// physical lines.
		excel := "\ufeffname,email,timezone,team\r\n" +
			"\"Brontë, Emily\",emily@example.com,Europe/London,\"Yorkshire\r\nMoors\"\r\n" +
			"Bad Zone Two,zone2@example.com,Mars/Olympus,\r\n" +
			"Charlotte,charlotte@example.com,Europe/London,\"Haworth, West\"\r\n" +
			",,,\r\n"
		r = admin.must(200, "POST", "/api/v1/people/import", excel, "text/csv")
		jsonEq(t, "spreadsheet export", r.Body, report(false, 1, 0, 0, `[
		  {"line": 2, "email": "emily@example.com", "field": "team", "message": "team must not contain control characters or line breaks"},
		  {"line": 4, "email": "zone2@example.com", "field": "timezone", "message": "unknown time zone \"Mars/Olympus\""}
		]`))
		people = listPeople(t, admin)
		if ch := people["charlotte@example.com"]; ch.Name != "Charlotte" || ch.Team != "Haworth, West" || ch.Timezone != "Europe/London" {
			t.Errorf("charlotte = %+v", ch)
		}
		if _, ok := people["emily@example.com"]; ok {
			t.Error("a row with errors was written")
		}
		// The header's first column survived the byte order mark.
		r = admin.must(200, "POST", "/api/v1/people/import", "\ufeffname,email,timezone\r\nEmily Bronte,emily@example.com,Europe/London\r\n", "text/csv")
		jsonEq(t, "BOM header", r.Body, report(false, 1, 0, 0, "[]"))
	})
}

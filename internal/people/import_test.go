package people_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/people"
)

const header = "name,email,team,level,manager_email,timezone,working_hours\n"

func (e *env) mustImport(t *testing.T, csv string, dryRun bool) people.ImportReport {
	t.Helper()
	rep, err := e.svc.Import(context.Background(), e.fac, strings.NewReader(csv), dryRun)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func wantCounts(t *testing.T, rep people.ImportReport, created, updated, unchanged int) {
	t.Helper()
	if rep.Created != created || rep.Updated != updated || rep.Unchanged != unchanged {
		t.Fatalf("report created/updated/unchanged = %d/%d/%d, want %d/%d/%d (errors %+v)",
			rep.Created, rep.Updated, rep.Unchanged, created, updated, unchanged, rep.Errors)
	}
}

func (e *env) byEmail(t *testing.T, email string) people.Person {
	t.Helper()
	page, err := e.svc.List(context.Background(), people.ListFilter{Q: email, Active: people.ActiveAll})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if p.Email == email {
			return p
		}
	}
	t.Fatalf("no person %s", email)
	return people.Person{}
}

func importAudits(t *testing.T, db *database.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table("audit_entries").Where("action = ?", "people.import").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCreateReimportUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		file := header +
			"Ann Lead,ann@example.com,Payments,manager,,Europe/Berlin,mon-fri 08:00-16:00\n" +
			"Bo,Bo@Example.com ,Payments,engineer,ANN@example.com,Europe/Berlin,\n" +
			"Cy,cy@example.com,Search,Senior Engineer,dee@example.com,America/New_York,Mon-Thu 9:00-17:00\n" +
			"Dee,dee@example.com,Search,director,,America/New_York,\n"
		rep := e.mustImport(t, file, false)
		wantCounts(t, rep, 4, 0, 0)
		if rep.DryRun || rep.Errors == nil || len(rep.Errors) != 0 {
			t.Fatalf("report = %+v", rep)
		}
		ann, bo, cy, dee := e.byEmail(t, "ann@example.com"), e.byEmail(t, "bo@example.com"), e.byEmail(t, "cy@example.com"), e.byEmail(t, "dee@example.com")
		if *bo.ManagerID != ann.ID || *cy.ManagerID != dee.ID || ann.ManagerID != nil || dee.ManagerID != nil {
			t.Fatalf("managers: bo→%v cy→%v", bo.ManagerID, cy.ManagerID)
		}
		if *cy.ManagerName != "Dee" || *cy.Level != "senior engineer" || cy.WorkingHours != "mon-thu 09:00-17:00" ||
			bo.WorkingHours != "mon-fri 09:00-17:00" || ann.WorkingHours != "mon-fri 08:00-16:00" || bo.Team != "Payments" ||
			!bo.Active || bo.Timezone != "Europe/Berlin" {
			t.Fatalf("imported values: %+v %+v %+v", cy, bo, ann)
		}

		// The same file again changes nothing.
		wantCounts(t, e.mustImport(t, file, false), 0, 0, 4)

		// Bo changes team, Cy changes manager; the rest stay.
		changed := strings.Replace(file, "Bo,Bo@Example.com ,Payments", "Bo,bo@example.com,Search", 1)
		changed = strings.Replace(changed, "Senior Engineer,dee@example.com", "senior engineer,ann@example.com", 1)
		wantCounts(t, e.mustImport(t, changed, false), 0, 2, 2)
		if p := e.byEmail(t, "bo@example.com"); p.Team != "Search" || *p.ManagerID != ann.ID {
			t.Fatalf("bo after update = %+v", p)
		}
		if p := e.byEmail(t, "cy@example.com"); *p.ManagerID != ann.ID || p.Team != "Search" {
			t.Fatalf("cy after update = %+v", p)
		}
		// Working hours typed differently but equal are unchanged.
		same := strings.Replace(changed, "mon-fri 08:00-16:00", "Mon-Fri 8:00-16:00", 1)
		wantCounts(t, e.mustImport(t, same, false), 0, 0, 4)
		// An empty cell clears the level and the manager.
		cleared := strings.Replace(same, "Bo,bo@example.com,Search,engineer,ANN@example.com", "Bo,bo@example.com,Search,,", 1)
		wantCounts(t, e.mustImport(t, cleared, false), 0, 1, 3)
		if p := e.byEmail(t, "bo@example.com"); p.ManagerID != nil || p.Level != nil {
			t.Fatalf("bo after clearing = %+v", p)
		}
		if n := importAudits(t, db); n != 5 {
			t.Fatalf("import audit entries = %d, want 5", n)
		}
	})
}

// Columns the file leaves out keep their stored values.
func TestImportKeepsAbsentColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		boss := e.mustCreate(t, people.PersonInput{Name: "Boss", Email: "boss@example.com"})
		e.mustCreate(t, people.PersonInput{Name: "Ann", Email: "ann@example.com", Team: "Core", Level: ptr("staff engineer"),
			ManagerID: &boss.ID, WorkingHours: "mon 10:00-11:00", Systems: []string{"db"}})
		wantCounts(t, e.mustImport(t, "Email,Name,TimeZone\nann@example.com,Ann,Europe/Berlin\nnew@example.com,New,UTC\n", false), 1, 0, 1)
		ann := e.byEmail(t, "ann@example.com")
		if ann.Team != "Core" || *ann.Level != "staff engineer" || *ann.ManagerID != boss.ID ||
			ann.WorkingHours != "mon 10:00-11:00" || len(ann.Systems) != 1 {
			t.Fatalf("ann = %+v", ann)
		}
		if n := e.byEmail(t, "new@example.com"); n.WorkingHours != "mon-fri 09:00-17:00" || n.Team != "" || n.Level != nil {
			t.Fatalf("new = %+v", n)
		}
	})
}

func TestImportRowErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		file := header + // line 1
			"Ann,ann@example.com,Pay,,,Europe/Berlin,\n" + // 2
			"\"Bo, \"\"the\"\" builder\",bo@example.com,Pay,,,Europe/Berlin,\"mon-fri 09:00-12:00\n" + // 3
			"sat 10:00-12:00\"\n" + // 4: still Bo's record
			"Cy,cy@example.com,,,,Europe/Berln,\n" + // 5
			"Di,di@example.com,,,,UTC,mon-fri 9-5\n" + // 6
			"Ed,ed@example.com,,wizard,,UTC,\n" + // 7
			"Ann Again,ANN@example.com,,,,UTC,\n" + // 8
			"Fay,fay@example.com,,,ghost@example.com,UTC,\n" + // 9
			"Gus,gus@example.com,,,cy@example.com,UTC,\n" + // 10
			",hal@example.com,,,,UTC,\n" + // 11
			"Ivy,,,,,UTC,\n" + // 12
			"Jo,jo@@example.com,,,,UTC,\n" + // 13
			"Kim,kim@example.com,,,KIM@example.com,UTC,\n" + // 14
			"Lu,lu@example.com,,,mo@example.com,UTC,\n" + // 15
			"Mo,mo@example.com,,,lu@example.com,UTC,\n" + // 16
			"Ned,ned@example.com,,\n" + // 17
			"Oz,oz@example.com,,,bo@example.com,UTC,\n" + // 18
			",,,,,,\n" + // 19: blank, skipped
			"Pat,pat@example.com,,,gus@example.com,UTC,\n" + // 20: Gus is bad (his manager is)
			"Quy,quy@example.com,,,ned@example.com,UTC,\n" // 21: Ned's line is broken

		dry := e.mustImport(t, file, true)
		if n := countRows(t, db, "people"); n != 0 {
			t.Fatalf("dry run stored %d people", n)
		}
		if n := importAudits(t, db); n != 0 {
			t.Fatalf("dry run left %d audit entries", n)
		}
		rep := e.mustImport(t, file, false)
		if !dry.DryRun || rep.DryRun {
			t.Fatal("dry_run flag wrong in reports")
		}
		dry.DryRun = false
		a, _ := json.Marshal(dry)
		b, _ := json.Marshal(rep)
		if string(a) != string(b) {
			t.Fatalf("dry run report differs:\n%s\n%s", a, b)
		}

		wantCounts(t, rep, 3, 0, 0)
		want := []people.ImportRowError{
			{Line: 5, Email: "cy@example.com", Field: "timezone", Message: `unknown time zone "Europe/Berln"`},
			{Line: 6, Email: "di@example.com", Field: "working_hours", Message: `malformed working hours "mon-fri 9-5": time "9" is not a clock time`},
			{Line: 7, Email: "ed@example.com", Field: "level", Message: `unknown level "wizard"; known levels: engineer, senior engineer`},
			{Line: 8, Email: "ann@example.com", Field: "email", Message: "already appears on line 2"},
			{Line: 9, Email: "fay@example.com", Field: "manager_email", Message: "manager ghost@example.com is neither in the file nor in Debrief"},
			{Line: 10, Email: "gus@example.com", Field: "manager_email", Message: "manager cy@example.com is on line 5, which has errors"},
			{Line: 11, Email: "hal@example.com", Field: "name", Message: "name is required"},
			{Line: 12, Email: "", Field: "email", Message: "email is required"},
			{Line: 13, Email: "jo@@example.com", Field: "email", Message: `"jo@@example.com" is not an email address`},
			{Line: 14, Email: "kim@example.com", Field: "manager_email", Message: "own manager"},
			{Line: 15, Email: "lu@example.com", Field: "manager_email", Message: "management cycle: lu@example.com → mo@example.com → lu@example.com"},
			{Line: 16, Email: "mo@example.com", Field: "manager_email", Message: "management cycle: mo@example.com → lu@example.com → mo@example.com"},
			{Line: 17, Email: "ned@example.com", Field: "", Message: "the line has 4 fields but the header has 7"},
			{Line: 20, Email: "pat@example.com", Field: "manager_email", Message: "manager gus@example.com is on line 10, which has errors"},
			{Line: 21, Email: "quy@example.com", Field: "manager_email", Message: "manager ned@example.com is on line 17, which has errors"},
		}
		if len(rep.Errors) != len(want) {
			t.Fatalf("got %d errors, want %d: %+v", len(rep.Errors), len(want), rep.Errors)
		}
		for i, w := range want {
			g := rep.Errors[i]
			if g.Line != w.Line || g.Email != w.Email || g.Field != w.Field || !strings.Contains(g.Message, w.Message) {
				t.Errorf("error %d = %+v, want %+v", i, g, w)
			}
		}
		bo := e.byEmail(t, "bo@example.com")
		if bo.Name != `Bo, "the" builder` || bo.WorkingHours != "mon-fri 09:00-12:00; sat 10:00-12:00" {
			t.Fatalf("bo = %+v", bo)
		}
		if oz := e.byEmail(t, "oz@example.com"); *oz.ManagerID != bo.ID {
			t.Fatalf("oz's manager = %v", oz.ManagerID)
		}
		if n := countRows(t, db, "people"); n != 3 {
			t.Fatalf("people = %d, want 3 (Ann, Bo, Oz)", n)
		}
		if ann := e.byEmail(t, "ann@example.com"); ann.Name != "Ann" {
			t.Fatalf("the duplicate row overwrote the first: %+v", ann)
		}
	})
}

// A cycle through people already in the database is caught too, and rows
// that depend on a rejected row are rejected with it.
func TestImportCycleThroughDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		top := e.mustCreate(t, people.PersonInput{Name: "Top", Email: "top@example.com"})
		mid := e.mustCreate(t, people.PersonInput{Name: "Mid", Email: "mid@example.com", ManagerID: &top.ID})
		e.mustCreate(t, people.PersonInput{Name: "Low", Email: "low@example.com", ManagerID: &mid.ID})
		rep := e.mustImport(t, "name,email,timezone,manager_email\n"+
			"Top,top@example.com,Europe/Berlin,low@example.com\n"+ // 2: Top → Low → Mid → Top
			"New,new@example.com,UTC,top@example.com\n"+ // 3: depends on the rejected row
			"Other,other@example.com,UTC,mid@example.com\n", false) // 4: fine
		wantCounts(t, rep, 1, 0, 0)
		if len(rep.Errors) != 2 || rep.Errors[0].Line != 2 || rep.Errors[1].Line != 3 {
			t.Fatalf("errors = %+v", rep.Errors)
		}
		wantContains(t, "cycle", rep.Errors[0].Message, "top@example.com → low@example.com → mid@example.com → top@example.com")
		wantContains(t, "cascade", rep.Errors[1].Message, "is on line 2, which has errors")
		if p := e.byEmail(t, "top@example.com"); p.ManagerID != nil {
			t.Fatalf("top got a manager: %+v", p)
		}

		// Reversing the chain in one file is fine: no loop once all rows apply.
		rep = e.mustImport(t, "name,email,timezone,manager_email\n"+
			"Top,top@example.com,Europe/Berlin,mid@example.com\n"+
			"Mid,mid@example.com,Europe/Berlin,\n", false)
		wantCounts(t, rep, 0, 2, 0)
		if p := e.byEmail(t, "top@example.com"); p.ManagerID == nil || *p.ManagerID != mid.ID {
			t.Fatalf("top = %+v", p)
		}
	})
}

func TestImportBOMAndCRLF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		file := "\uFEFF Email , NAME ,TimeZone,Working_Hours\r\n" +
			"ann@example.com,Ann,Europe/Berlin,\"mon-fri 09:00-12:00\r\nfri 13:00-15:00\"\r\n" +
			"bo@example.com,Bo,Mars/Base,\r\n"
		rep := e.mustImport(t, file, false)
		wantCounts(t, rep, 1, 0, 0)
		if len(rep.Errors) != 1 || rep.Errors[0].Line != 4 || rep.Errors[0].Field != "timezone" {
			t.Fatalf("errors = %+v", rep.Errors)
		}
		if ann := e.byEmail(t, "ann@example.com"); ann.Name != "Ann" || ann.WorkingHours != "mon-thu 09:00-12:00; fri 09:00-12:00,13:00-15:00" {
			t.Fatalf("ann = %+v", ann)
		}
	})
}

func TestImportWholeFileErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		for _, tc := range []struct{ name, csv, want string }{
			{"empty", "", "header row"},
			{"missing", "Name,team\nAnn,x\n", "required columns email, timezone"},
			{"unknown", "name,email,timezone,shoe_size, Age \n", `unknown columns "shoe_size", "Age"`},
			{"twice", "name,email,timezone,EMAIL\n", `column "email" appears twice`},
			{"quoting", "name,email,timezone\nAnn,ann@example.com,UTC\n\"Bo,bo@example.com,UTC\n", "not valid CSV: line 3"},
		} {
			_, err := e.svc.Import(ctx, e.admin, strings.NewReader(tc.csv), false)
			ae := wantCode(t, err, apperr.Invalid)
			wantContains(t, tc.name, ae.Message, tc.want)
		}
		if n := countRows(t, db, "people"); n != 0 {
			t.Fatalf("a rejected file stored %d people", n)
		}

		rep := e.mustImport(t, header, false)
		wantCounts(t, rep, 0, 0, 0)

		var b strings.Builder
		b.WriteString("name,email,timezone\n")
		for i := range people.MaxImportRows + 1 {
			fmt.Fprintf(&b, "P,p%d@example.com,UTC\n", i)
		}
		_, err := e.svc.Import(ctx, e.admin, strings.NewReader(b.String()), false)
		wantContains(t, "cap", wantCode(t, err, apperr.Invalid).Message, "more than 50000 rows")
	})
}

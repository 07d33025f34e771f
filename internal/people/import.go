package people

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// Import columns, in the order the API contract lists them.
const (
	colName = iota
	colEmail
	colTeam
	colLevel
	colManagerEmail
	colTimezone
	colWorkingHours
	numCols
)

var columnNames = [numCols]string{"name", "email", "team", "level", "manager_email", "timezone", "working_hours"}

var requiredColumns = []int{colName, colEmail, colTimezone}

// ImportColumns lists the columns a people CSV may have.
func ImportColumns() []string { return slices.Clone(columnNames[:]) }

// csvFile is a parsed import: where each column sits, the data rows, and
// the rows that could not be split into the header's columns.
type csvFile struct {
	pos    [numCols]int // index in a record, -1 when the column is absent
	rows   []*importRow
	errors []ImportRowError
	// broken maps the email on a line that could not be split into columns
	// to that line, so a row naming that person as manager can say why.
	broken map[string]int
}

func (f *csvFile) has(col int) bool { return f.pos[col] >= 0 }

type importRow struct {
	line int
	raw  [numCols]string

	// Cleaned values; meaningful only for the columns the file has.
	name, email, team, timezone, hours, managerEmail string
	levelID                                          *string

	bad bool
	// mgrRow is the index of the row defining this row's manager, or -1.
	mgrRow int
	next   personRow
}

// Import upserts people from CSV by email. Rows with problems are reported
// and change nothing; the others are written, all in one transaction. A dry
// run does the same work and rolls it back, so its report is the one a real
// import would give. Admins and facilitators only.
func (s *Service) Import(ctx context.Context, a actor.Actor, r io.Reader, dryRun bool) (ImportReport, error) {
	if err := requireEditor(a); err != nil {
		return ImportReport{}, err
	}
	f, err := readImportCSV(r)
	if err != nil {
		return ImportReport{}, err
	}
	var report ImportReport
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		im := &importer{s: s, tx: tx, f: f, c: newChecker(), first: map[string]int{},
			byEmail: map[string]*personRow{}, byID: map[string]*personRow{}}
		im.report = ImportReport{DryRun: dryRun, Errors: f.errors}
		if err := im.run(ctx, a); err != nil {
			return err
		}
		report = im.report
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return ImportReport{}, wrapTx("import people", err)
	}
	slices.SortStableFunc(report.Errors, func(x, y ImportRowError) int { return x.Line - y.Line })
	if report.Errors == nil {
		report.Errors = []ImportRowError{}
	}
	return report, nil
}

// errDryRun rolls back a dry run's transaction; it never leaves the package.
var errDryRun = errors.New("dry run: roll back")

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readImportCSV splits the file into rows. Problems with the file as a
// whole (no header, unknown or missing columns, broken quoting, too many
// rows) are Invalid errors; a row with the wrong number of fields is a row
// error, because the rows around it are still sound.
func readImportCSV(r io.Reader) (*csvFile, error) {
	br := bufio.NewReader(r)
	// Spreadsheet programs save UTF-8 with a byte order mark, which would
	// otherwise become part of the first column's name.
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, apperr.Invalidf("the file is empty; it needs a header row with the columns %s", strings.Join(columnNames[:], ", "))
	}
	if err != nil {
		return nil, csvError(err)
	}
	f := &csvFile{broken: map[string]int{}}
	for i := range f.pos {
		f.pos[i] = -1
	}
	var unknown []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue // spreadsheets add empty trailing columns
		}
		col := slices.Index(columnNames[:], h)
		switch {
		case col < 0:
			unknown = append(unknown, fmt.Sprintf("%q", strings.TrimSpace(header[i])))
		case f.pos[col] >= 0:
			return nil, apperr.Invalidf("column %q appears twice in the header", h)
		default:
			f.pos[col] = i
		}
	}
	if len(unknown) > 0 {
		return nil, apperr.Invalidf("unknown %s %s; the columns are %s", plural(len(unknown), "column", "columns"),
			strings.Join(unknown, ", "), strings.Join(columnNames[:], ", "))
	}
	var missing []string
	for _, col := range requiredColumns {
		if !f.has(col) {
			missing = append(missing, columnNames[col])
		}
	}
	if len(missing) > 0 {
		return nil, apperr.Invalidf("the header lacks the required %s %s", plural(len(missing), "column", "columns"),
			strings.Join(missing, ", "))
	}

	records := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil && blank(rec) {
			continue // spreadsheets export trailing rows of empty cells
		}
		records++
		if records > MaxImportRows {
			return nil, apperr.Invalidf("the file has more than %d rows; import it in parts", MaxImportRows)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				e := ImportRowError{Line: pe.StartLine,
					Message: fmt.Sprintf("the line has %d fields but the header has %d", len(rec), len(header))}
				if i := f.pos[colEmail]; i < len(rec) {
					e.Email = strings.ToLower(strings.TrimSpace(rec[i]))
					if _, seen := f.broken[e.Email]; !seen && e.Email != "" {
						f.broken[e.Email] = e.Line
					}
				}
				f.errors = append(f.errors, e)
				continue
			}
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		row := &importRow{line: line, mgrRow: -1}
		for col, i := range f.pos {
			if i >= 0 {
				row.raw[col] = rec[i]
			}
		}
		f.rows = append(f.rows, row)
	}
	return f, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// StartLine, not Line: an unclosed quote is only noticed at the end
		// of the file, but the mistake is where the record began.
		return apperr.Wrap(apperr.Invalid, err, "the file is not valid CSV: line %d: %v", pe.StartLine, pe.Err)
	}
	return fmt.Errorf("read CSV: %w", err)
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// importer carries one import's state through its phases.
type importer struct {
	s      *Service
	tx     *gorm.DB
	f      *csvFile
	c      *checker
	levels levelIndex
	report ImportReport

	// first maps an email to the index of the first row that has it.
	first map[string]int
	// byEmail and byID hold the people already in the database that the
	// file names, and every manager above them.
	byEmail map[string]*personRow
	byID    map[string]*personRow
}

func (im *importer) fail(r *importRow, field, msg string) {
	r.bad = true
	email := r.email
	if email == "" {
		email = strings.ToLower(strings.TrimSpace(r.raw[colEmail]))
	}
	im.report.Errors = append(im.report.Errors, ImportRowError{Line: r.line, Email: email, Field: field, Message: msg})
}

// problem turns a checker problem ("is required") into a sentence that
// stands on its own in a list of row errors ("name is required").
func problem(field, p string) string {
	for _, prefix := range []string{"is ", "must ", "each ", "at most "} {
		if strings.HasPrefix(p, prefix) {
			return field + " " + p
		}
	}
	return p
}

func (im *importer) run(ctx context.Context, a actor.Actor) error {
	levels, err := loadLevels(ctx, im.tx)
	if err != nil {
		return err
	}
	im.levels = newLevelIndex(levels)
	for _, r := range im.f.rows {
		im.clean(r)
	}
	im.findDuplicates()
	if err := im.loadExisting(ctx); err != nil {
		return err
	}
	im.resolveManagers()
	for {
		im.rejectBadManagers()
		if !im.rejectCycles() {
			break
		}
	}
	if err := im.write(ctx); err != nil {
		return err
	}
	return audit.Record(ctx, im.tx, a.UserID, "people.import", "people", idgen.New(), map[string]any{
		"dry_run": im.report.DryRun, "rows": len(im.f.rows) + len(im.f.errors), "created": im.report.Created,
		"updated": im.report.Updated, "unchanged": im.report.Unchanged, "errors": len(im.report.Errors),
	})
}

// clean validates the values a row carries on its own.
func (im *importer) clean(r *importRow) {
	var p string
	if r.email, p = im.c.email(r.raw[colEmail]); p != "" {
		im.fail(r, "email", problem("email", p))
	}
	if r.name, p = im.c.name(r.raw[colName]); p != "" {
		im.fail(r, "name", problem("name", p))
	}
	if r.timezone, p = im.c.timezone(r.raw[colTimezone]); p != "" {
		im.fail(r, "timezone", problem("timezone", p))
	}
	if im.f.has(colTeam) {
		if r.team, p = im.c.team(r.raw[colTeam]); p != "" {
			im.fail(r, "team", problem("team", p))
		}
	}
	if im.f.has(colWorkingHours) {
		if r.hours, p = im.c.workingHours(r.raw[colWorkingHours]); p != "" {
			im.fail(r, "working_hours", problem("working_hours", p))
		}
	}
	if im.f.has(colLevel) {
		if name := strings.TrimSpace(r.raw[colLevel]); name != "" {
			l, p := im.levels.resolve(name)
			if p != "" {
				im.fail(r, "level", p)
			} else {
				r.levelID = &l.ID
			}
		}
	}
	if im.f.has(colManagerEmail) && strings.TrimSpace(r.raw[colManagerEmail]) != "" {
		if r.managerEmail, p = im.c.email(r.raw[colManagerEmail]); p != "" {
			im.fail(r, "manager_email", problem("manager_email", p))
		}
	}
}

// findDuplicates keeps the first row of each email and reports the others,
// since the file cannot say which of two rows is right.
func (im *importer) findDuplicates() {
	for i, r := range im.f.rows {
		if r.email == "" {
			continue
		}
		if j, dup := im.first[r.email]; dup {
			im.fail(r, "email", fmt.Sprintf("email %s already appears on line %d; only that row is used", r.email, im.f.rows[j].line))
			continue
		}
		im.first[r.email] = i
	}
}

// loadExisting fetches, in chunks, the people the file names (as rows or
// as managers) and then, level by level, everyone above them: the cycle
// check must follow the chain through people who are not in the file.
func (im *importer) loadExisting(ctx context.Context) error {
	emails := make([]string, 0, len(im.first))
	for e := range im.first {
		emails = append(emails, e)
	}
	for _, r := range im.f.rows {
		if r.managerEmail != "" {
			if _, inFile := im.first[r.managerEmail]; !inFile {
				emails = append(emails, r.managerEmail)
			}
		}
	}
	slices.Sort(emails)
	rows, err := rowsByColumn(ctx, im.tx, "email", slices.Compact(emails))
	if err != nil {
		return err
	}
	for {
		var above []string
		for i := range rows {
			p := &rows[i]
			im.byEmail[p.Email] = p
			im.byID[p.ID] = p
		}
		for i := range rows {
			if m := rows[i].ManagerID; m != nil && im.byID[*m] == nil {
				above = append(above, *m)
			}
		}
		if len(above) == 0 {
			return nil
		}
		slices.Sort(above)
		if rows, err = rowsByColumn(ctx, im.tx, "id", slices.Compact(above)); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
	}
}

// resolveManagers checks that each named manager exists in the file or the
// database and is not the row's own person.
func (im *importer) resolveManagers() {
	for _, r := range im.f.rows {
		m := r.managerEmail
		switch m {
		case "":
		case r.email:
			im.fail(r, "manager_email", "a person cannot be their own manager")
		default:
			if j, ok := im.first[m]; ok {
				r.mgrRow = j
			} else if line, ok := im.f.broken[m]; ok {
				im.fail(r, "manager_email", fmt.Sprintf("manager %s is on line %d, which has errors", m, line))
			} else if im.byEmail[m] == nil {
				im.fail(r, "manager_email", fmt.Sprintf("manager %s is neither in the file nor in Debrief", m))
			}
		}
	}
}

// rejectBadManagers fails every row whose manager is defined by a failed
// row: that manager would not be written (or not as the file says).
func (im *importer) rejectBadManagers() {
	rows := im.f.rows
	const (
		unvisited = iota
		visiting
		visited
	)
	state := make([]uint8, len(rows))
	var good func(i int) bool
	good = func(i int) bool {
		r := rows[i]
		switch {
		case r.bad || state[i] == visited:
			return !r.bad
		case state[i] == visiting:
			return true // a loop within the file; rejectCycles reports it
		}
		state[i] = visiting
		if r.mgrRow >= 0 && !good(r.mgrRow) {
			m := rows[r.mgrRow]
			im.fail(r, "manager_email", fmt.Sprintf("manager %s is on line %d, which has errors", m.email, m.line))
		}
		state[i] = visited
		return !r.bad
	}
	for i := range rows {
		good(i)
	}
}

// managerAfter is the manager email a person would have after the import:
// the file's, for a good row that has a manager_email column, otherwise the
// database's.
func (im *importer) managerAfter(email string) string {
	if i, ok := im.first[email]; ok && !im.f.rows[i].bad && im.f.has(colManagerEmail) {
		return im.f.rows[i].managerEmail
	}
	if p := im.byEmail[email]; p != nil && p.ManagerID != nil {
		if m := im.byID[*p.ManagerID]; m != nil {
			return m.Email
		}
	}
	return ""
}

// rejectCycles fails the good rows that sit on a management loop in the
// graph the import would produce, and reports whether it failed any. Every
// person has at most one manager, so following managers from each row
// either ends or enters a loop.
func (im *importer) rejectCycles() bool {
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[string]uint8{}
	found := false
	for i, r := range im.f.rows {
		if r.bad || im.first[r.email] != i || state[r.email] != unvisited {
			continue
		}
		var path []string
		cur := r.email
		for cur != "" && state[cur] == unvisited {
			state[cur] = onPath
			path = append(path, cur)
			cur = im.managerAfter(cur)
		}
		if cur != "" && state[cur] == onPath {
			loop := path[slices.Index(path, cur):]
			for k, e := range loop {
				j, ok := im.first[e]
				if !ok || im.f.rows[j].bad {
					continue
				}
				// Start the chain at the row's own person.
				chain := append(slices.Clone(loop[k:]), loop[:k]...)
				chain = append(chain, e)
				im.fail(im.f.rows[j], "manager_email", "this would make a management cycle: "+strings.Join(chain, " → "))
				found = true
			}
		}
		for _, e := range path {
			state[e] = done
		}
	}
	return found
}

// write upserts the good rows. New people are inserted without managers
// first, because a manager may be defined further down the file; a second
// pass sets manager_id once every id exists.
func (im *importer) write(ctx context.Context) error {
	now := im.s.timestamp()
	defaultHours, _ := im.c.workingHours("")
	var good []*importRow
	for i, r := range im.f.rows {
		if r.bad || im.first[r.email] != i {
			continue
		}
		good = append(good, r)
		if old := im.byEmail[r.email]; old != nil {
			r.next = *old
		} else {
			r.next = personRow{ID: idgen.New(), Email: r.email, Active: true, Systems: "[]",
				WorkingHours: defaultHours, CreatedAt: now}
		}
		r.next.Name = r.name
		r.next.Timezone = r.timezone
		if im.f.has(colTeam) {
			r.next.Team = r.team
		}
		if im.f.has(colLevel) {
			r.next.LevelID = r.levelID
		}
		if im.f.has(colWorkingHours) {
			r.next.WorkingHours = r.hours
		}
	}

	var creates, updates, managers []personRow
	for _, r := range good {
		if im.f.has(colManagerEmail) {
			r.next.ManagerID = nil
			if m := r.managerEmail; m != "" {
				var id string
				if j, ok := im.first[m]; ok {
					id = im.f.rows[j].next.ID // good, or this row would have failed
				} else if p := im.byEmail[m]; p != nil {
					id = p.ID
				} else {
					return fmt.Errorf("line %d: manager %s vanished between checks", r.line, m)
				}
				r.next.ManagerID = &id
			}
		}
		old := im.byEmail[r.email]
		if old == nil {
			im.report.Created++
			r.next.UpdatedAt = now
			row := r.next
			row.ManagerID = nil
			creates = append(creates, row)
			if r.next.ManagerID != nil {
				managers = append(managers, r.next)
			}
			continue
		}
		changes, _ := diffRows(*old, r.next)
		if len(changes) == 0 {
			im.report.Unchanged++
			continue
		}
		im.report.Updated++
		r.next.UpdatedAt = now
		_, managerChanged := changes["manager_id"]
		if managerChanged {
			managers = append(managers, r.next)
		}
		if len(changes) > 1 || !managerChanged {
			row := r.next
			row.ManagerID = old.ManagerID
			updates = append(updates, row)
		}
	}
	if len(creates) > 0 {
		if err := im.tx.WithContext(ctx).CreateInBatches(creates, chunkSize).Error; err != nil {
			if isUniqueViolation(err) {
				return apperr.Wrap(apperr.Conflict, err, "another change added some of these people while the import ran; try again")
			}
			return fmt.Errorf("insert %d people: %w", len(creates), err)
		}
	}
	if err := upsertByID(ctx, im.tx, updates, []string{"name", "team", "level_id", "timezone", "working_hours", "updated_at"}); err != nil {
		return err
	}
	return upsertByID(ctx, im.tx, managers, []string{"manager_id", "updated_at"})
}

package people

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/idgen"
	"github.com/debrief-dev/debrief/internal/pagination"
)

// maxChainDepth bounds the walk up a management chain. Real chains are a
// dozen deep; the bound only matters if the data were already corrupt.
const maxChainDepth = 10000

// Get returns one person, active or not.
func (s *Service) Get(ctx context.Context, id string) (Person, error) {
	cid, ok := idgen.Canonical(id)
	if !ok {
		return Person{}, apperr.NotFoundf("no person with id %q", id)
	}
	p, found, err := getPerson(ctx, s.db, cid)
	if err != nil {
		return Person{}, err
	}
	if !found {
		return Person{}, apperr.NotFoundf("no person with id %q", id)
	}
	return p, nil
}

// GetMany returns the people with the given ids, in the order asked. An id
// that names nobody is a NotFound error naming it, so callers that plan
// meetings never silently drop someone.
func (s *Service) GetMany(ctx context.Context, ids []string) ([]Person, error) {
	canon := make([]string, 0, len(ids))
	for _, id := range ids {
		cid, ok := idgen.Canonical(id)
		if !ok {
			return nil, apperr.NotFoundf("no person with id %q", id)
		}
		canon = append(canon, cid)
	}
	byID := make(map[string]Person, len(canon))
	for chunk := range slices.Chunk(slices.Compact(slices.Sorted(slices.Values(canon))), chunkSize) {
		var views []personView
		if err := personQuery(s.db.WithContext(ctx)).Where("p.id IN ?", chunk).Scan(&views).Error; err != nil {
			return nil, fmt.Errorf("load people: %w", err)
		}
		for _, v := range views {
			p := v.person()
			byID[p.ID] = p
		}
	}
	out := make([]Person, 0, len(canon))
	for i, id := range canon {
		p, ok := byID[id]
		if !ok {
			return nil, apperr.NotFoundf("no person with id %q", ids[i])
		}
		out = append(out, p)
	}
	return out, nil
}

// Create adds a person. Admins and facilitators only.
func (s *Service) Create(ctx context.Context, a actor.Actor, in PersonInput) (Person, error) {
	if err := requireEditor(a); err != nil {
		return Person{}, err
	}
	c := newChecker()
	var v apperr.Fields
	row := personRow{ID: idgen.New(), Active: true}
	var problem string
	if row.Name, problem = c.name(in.Name); problem != "" {
		v.Add("name", "%s", problem)
	}
	if row.Email, problem = c.email(in.Email); problem != "" {
		v.Add("email", "%s", problem)
	}
	if row.Team, problem = c.team(in.Team); problem != "" {
		v.Add("team", "%s", problem)
	}
	if row.Timezone, problem = c.timezone(in.Timezone); problem != "" {
		v.Add("timezone", "%s", problem)
	}
	if row.WorkingHours, problem = c.workingHours(in.WorkingHours); problem != "" {
		v.Add("working_hours", "%s", problem)
	}
	if row.CalendarID, problem = c.calendarID(in.CalendarID); problem != "" {
		v.Add("calendar_id", "%s", problem)
	}
	systems, problem := c.systems(in.Systems)
	if problem != "" {
		v.Add("systems", "%s", problem)
	}
	row.Systems = encodeSystems(systems)
	mgr := managerChoice{}
	if in.ManagerID != nil {
		mgr.id = Nullable{Set: true, Value: in.ManagerID}
	}
	if in.ManagerEmail != nil {
		mgr.email = Nullable{Set: true, Value: in.ManagerEmail}
	}

	var out Person
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.Level != nil && strings.TrimSpace(*in.Level) != "" {
			id, problem, err := resolveLevel(ctx, tx, *in.Level)
			if err != nil {
				return err
			}
			if problem != "" {
				v.Add("level", "%s", problem)
			} else {
				row.LevelID = &id
			}
		}
		managerID, err := mgr.resolve(ctx, tx, &v, row.ID, row.Email)
		if err != nil {
			return err
		}
		row.ManagerID = managerID
		if err := v.Err(); err != nil {
			return err
		}
		if err := ensureEmailFree(ctx, tx, row.Email, ""); err != nil {
			return err
		}
		row.CreatedAt = s.timestamp()
		row.UpdatedAt = row.CreatedAt
		if err := tx.Create(&row).Error; err != nil {
			if isUniqueViolation(err) {
				return emailTaken(row.Email, err)
			}
			return fmt.Errorf("insert person: %w", err)
		}
		if err := audit.Record(ctx, tx, a.UserID, "person.create", "person", row.ID,
			map[string]any{"name": row.Name, "email": row.Email}); err != nil {
			return err
		}
		p, _, err := getPerson(ctx, tx, row.ID)
		out = p
		return err
	})
	if err != nil {
		return Person{}, wrapTx("create person", err)
	}
	return out, nil
}

// Update applies patch to the person with id. Active false deactivates,
// true reactivates. Admins and facilitators only.
func (s *Service) Update(ctx context.Context, a actor.Actor, id string, patch PersonPatch) (Person, error) {
	if err := requireEditor(a); err != nil {
		return Person{}, err
	}
	cid, ok := idgen.Canonical(id)
	if !ok {
		return Person{}, apperr.NotFoundf("no person with id %q", id)
	}
	var out Person
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := findPersonRow(ctx, tx, "id", cid)
		if err != nil {
			return err
		}
		if cur == nil {
			return apperr.NotFoundf("no person with id %q", id)
		}
		next, err := applyPatch(ctx, tx, *cur, patch)
		if err != nil {
			return err
		}
		changes, cols := diffRows(*cur, next)
		if len(changes) == 0 {
			p, _, err := getPerson(ctx, tx, cid)
			out = p
			return err
		}
		if next.Email != cur.Email {
			if err := ensureEmailFree(ctx, tx, next.Email, cid); err != nil {
				return err
			}
		}
		next.UpdatedAt = s.timestamp()
		cols["updated_at"] = next.UpdatedAt
		if err := tx.Model(&personRow{}).Where("id = ?", cid).Updates(cols).Error; err != nil {
			if isUniqueViolation(err) {
				return emailTaken(next.Email, err)
			}
			return fmt.Errorf("update person %s: %w", cid, err)
		}
		action := "person.update"
		if _, ok := changes["active"]; ok {
			action = "person.reactivate"
			if !next.Active {
				action = "person.deactivate"
			}
		}
		if err := audit.Record(ctx, tx, a.UserID, action, "person", cid, map[string]any{"changes": changes}); err != nil {
			return err
		}
		p, _, err := getPerson(ctx, tx, cid)
		out = p
		return err
	})
	if err != nil {
		return Person{}, wrapTx("update person", err)
	}
	return out, nil
}

// applyPatch validates patch against cur and returns the row it asks for.
func applyPatch(ctx context.Context, tx *gorm.DB, cur personRow, patch PersonPatch) (personRow, error) {
	c := newChecker()
	var v apperr.Fields
	next := cur
	var problem string
	if patch.Name != nil {
		if next.Name, problem = c.name(*patch.Name); problem != "" {
			v.Add("name", "%s", problem)
		}
	}
	if patch.Email != nil {
		if next.Email, problem = c.email(*patch.Email); problem != "" {
			v.Add("email", "%s", problem)
		}
	}
	if patch.Team != nil {
		if next.Team, problem = c.team(*patch.Team); problem != "" {
			v.Add("team", "%s", problem)
		}
	}
	if patch.Timezone != nil {
		if next.Timezone, problem = c.timezone(*patch.Timezone); problem != "" {
			v.Add("timezone", "%s", problem)
		}
	}
	if patch.WorkingHours != nil {
		if next.WorkingHours, problem = c.workingHours(*patch.WorkingHours); problem != "" {
			v.Add("working_hours", "%s", problem)
		}
	}
	if patch.CalendarID != nil {
		if next.CalendarID, problem = c.calendarID(*patch.CalendarID); problem != "" {
			v.Add("calendar_id", "%s", problem)
		}
	}
	if patch.Systems != nil {
		systems, problem := c.systems(*patch.Systems)
		if problem != "" {
			v.Add("systems", "%s", problem)
		}
		next.Systems = encodeSystems(systems)
	}
	if patch.Active != nil {
		next.Active = *patch.Active
	}
	if patch.Level.Set {
		next.LevelID = nil
		if name := strings.TrimSpace(patch.Level.value()); name != "" {
			id, problem, err := resolveLevel(ctx, tx, name)
			if err != nil {
				return next, err
			}
			if problem != "" {
				v.Add("level", "%s", problem)
			} else {
				next.LevelID = &id
			}
		}
	}
	mgr := managerChoice{id: patch.ManagerID, email: patch.ManagerEmail}
	if mgr.id.Set || mgr.email.Set {
		email := next.Email
		if email == "" {
			email = cur.Email
		}
		managerID, err := mgr.resolve(ctx, tx, &v, cur.ID, email)
		if err != nil {
			return next, err
		}
		next.ManagerID = managerID
		if managerID != nil && v.Len() == 0 {
			cycle, err := managementCycle(ctx, tx, cur.ID, *managerID)
			if err != nil {
				return next, err
			}
			if cycle != nil {
				v.Add(mgr.field(), "this would create a management cycle: %s", strings.Join(cycle, " → "))
			}
		}
	}
	return next, v.Err()
}

// diffRows compares two versions of a row and returns the changes for the
// audit trail (old and new value per column) and the columns to write.
func diffRows(a, b personRow) (changes, cols map[string]any) {
	changes, cols = map[string]any{}, map[string]any{}
	add := func(col string, from, to, value any) {
		changes[col] = map[string]any{"from": from, "to": to}
		cols[col] = value
	}
	if a.Name != b.Name {
		add("name", a.Name, b.Name, b.Name)
	}
	if a.Email != b.Email {
		add("email", a.Email, b.Email, b.Email)
	}
	if a.Team != b.Team {
		add("team", a.Team, b.Team, b.Team)
	}
	if !equalPtr(a.LevelID, b.LevelID) {
		add("level_id", a.LevelID, b.LevelID, b.LevelID)
	}
	if !equalPtr(a.ManagerID, b.ManagerID) {
		add("manager_id", a.ManagerID, b.ManagerID, b.ManagerID)
	}
	if a.Timezone != b.Timezone {
		add("timezone", a.Timezone, b.Timezone, b.Timezone)
	}
	if a.WorkingHours != b.WorkingHours {
		add("working_hours", a.WorkingHours, b.WorkingHours, b.WorkingHours)
	}
	if a.CalendarID != b.CalendarID {
		add("calendar_id", a.CalendarID, b.CalendarID, b.CalendarID)
	}
	if a.Systems != b.Systems {
		add("systems", decodeSystems(a.Systems), decodeSystems(b.Systems), b.Systems)
	}
	if a.Active != b.Active {
		add("active", a.Active, b.Active, b.Active)
	}
	return changes, cols
}

func equalPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func resolveLevel(ctx context.Context, tx *gorm.DB, name string) (string, string, error) {
	rows, err := loadLevels(ctx, tx)
	if err != nil {
		return "", "", err
	}
	l, problem := newLevelIndex(rows).resolve(name)
	return l.ID, problem, nil
}

// managerChoice is how a request names a manager: by id or by email.
type managerChoice struct {
	id, email Nullable
}

func (m managerChoice) field() string {
	if m.email.Set && m.email.value() != "" {
		return "manager_email"
	}
	return "manager_id"
}

// resolve returns the manager's id (nil for none), adding field errors to v
// for an unknown manager, an ambiguous choice or self-management.
func (m managerChoice) resolve(ctx context.Context, tx *gorm.DB, v *apperr.Fields, selfID, selfEmail string) (*string, error) {
	idVal, emailVal := strings.TrimSpace(m.id.value()), strings.TrimSpace(m.email.value())
	switch {
	case idVal != "" && emailVal != "":
		v.Add("manager_id", "give manager_id or manager_email, not both")
		return nil, nil
	case idVal != "":
		id, ok := idgen.Canonical(idVal)
		if !ok {
			v.Add("manager_id", "no person with id %q", idVal)
			return nil, nil
		}
		if id == selfID {
			v.Add("manager_id", "a person cannot be their own manager")
			return nil, nil
		}
		row, err := findPersonRow(ctx, tx, "id", id)
		if err != nil {
			return nil, err
		}
		if row == nil {
			v.Add("manager_id", "no person with id %q", idVal)
			return nil, nil
		}
		return &row.ID, nil
	case emailVal != "":
		email, problem := newChecker().email(emailVal)
		if problem != "" {
			v.Add("manager_email", "%s", problem)
			return nil, nil
		}
		if email == selfEmail {
			v.Add("manager_email", "a person cannot be their own manager")
			return nil, nil
		}
		row, err := findPersonRow(ctx, tx, "email", email)
		if err != nil {
			return nil, err
		}
		if row == nil {
			v.Add("manager_email", "no person with email %q", email)
			return nil, nil
		}
		if row.ID == selfID {
			v.Add("manager_email", "a person cannot be their own manager")
			return nil, nil
		}
		return &row.ID, nil
	}
	return nil, nil
}

// managementCycle walks up from managerID; if it reaches personID, making
// managerID the person's manager would close a loop, and it returns the
// loop's names from the person round to the person.
func managementCycle(ctx context.Context, tx *gorm.DB, personID, managerID string) ([]string, error) {
	self, err := findPersonRow(ctx, tx, "id", personID)
	if err != nil || self == nil {
		return nil, err
	}
	names := []string{self.Name}
	seen := map[string]bool{}
	cur := managerID
	for range maxChainDepth {
		if cur == personID {
			return append(names, self.Name), nil
		}
		if seen[cur] {
			return nil, nil // an old loop above, not through this person
		}
		seen[cur] = true
		row, err := findPersonRow(ctx, tx, "id", cur)
		if err != nil {
			return nil, err
		}
		if row == nil {
			return nil, nil
		}
		names = append(names, row.Name)
		if row.ManagerID == nil {
			return nil, nil
		}
		cur = *row.ManagerID
	}
	return nil, nil
}

func ensureEmailFree(ctx context.Context, tx *gorm.DB, email, exceptID string) error {
	row, err := findPersonRow(ctx, tx, "email", email)
	if err != nil {
		return err
	}
	if row != nil && row.ID != exceptID {
		return emailTaken(email, nil)
	}
	return nil
}

// emailTaken keeps cause (the database's unique violation, when there was
// one) for the logs.
func emailTaken(email string, cause error) error {
	e := apperr.Wrap(apperr.Conflict, cause, "a person with email %s already exists", email)
	e.Fields = []apperr.FieldError{{Field: "email", Message: "is already used by another person"}}
	return e
}

// wrapTx passes coded errors through untouched, so the HTTP layer sees
// their code and message, and adds context to everything else.
func wrapTx(what string, err error) error {
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// List returns one page of people sorted by name (case-insensitively),
// then id, so a name shared by two people still pages deterministically.
func (s *Service) List(ctx context.Context, f ListFilter) (PersonList, error) {
	page, err := pagination.Page{Limit: f.Limit, Cursor: f.Cursor}.Normalize()
	if err != nil {
		return PersonList{}, err
	}
	q := personQuery(s.db.WithContext(ctx))
	switch f.Active {
	case "", ActiveOnly:
		q = q.Where("p.active = ?", true)
	case InactiveOnly:
		q = q.Where("p.active = ?", false)
	case ActiveAll:
	default:
		return PersonList{}, &apperr.Error{Code: apperr.Invalid, Message: "active must be true, false or all",
			Fields: []apperr.FieldError{{Field: "active", Message: "must be true, false or all"}}}
	}
	if t := strings.TrimSpace(f.Q); t != "" {
		pat := "%" + database.EscapeLike(t) + "%"
		q = q.Where(`(lower(p.name) LIKE lower(?) ESCAPE '\' OR lower(p.email) LIKE lower(?) ESCAPE '\' OR lower(p.team) LIKE lower(?) ESCAPE '\')`,
			pat, pat, pat)
	}
	if t := strings.TrimSpace(f.Team); t != "" {
		q = q.Where("p.team = ?", t)
	}
	if l := strings.TrimSpace(f.Level); l != "" {
		q = q.Where("lower(l.name) = lower(?)", l)
	}
	if page.Cursor != "" {
		key, err := pagination.Decode(page.Cursor, 2)
		if err != nil {
			return PersonList{}, err
		}
		id, ok := idgen.Canonical(key[1])
		if !ok {
			return PersonList{}, &apperr.Error{Code: apperr.Invalid, Message: "cursor is not one this server issued",
				Fields: []apperr.FieldError{{Field: "cursor", Message: "malformed cursor"}}}
		}
		q = q.Where("(lower(p.name) > ? OR (lower(p.name) = ? AND p.id > ?))", key[0], key[0], id)
	}
	var views []personView
	if err := q.Order("lower(p.name), p.id").Limit(page.Limit + 1).Scan(&views).Error; err != nil {
		return PersonList{}, fmt.Errorf("list people: %w", err)
	}
	out := PersonList{Items: make([]Person, 0, min(len(views), page.Limit))}
	for i, v := range views {
		if i == page.Limit {
			last := views[i-1]
			out.NextCursor = pagination.Encode(last.SortName, last.Row.ID)
			break
		}
		out.Items = append(out.Items, v.person())
	}
	return out, nil
}

// Teams lists team names with their number of active people, by name.
// People with no team are left out.
func (s *Service) Teams(ctx context.Context) ([]Team, error) {
	var out []Team
	err := s.db.WithContext(ctx).Raw(`SELECT team AS name, COUNT(*) AS people_count FROM people
		WHERE active = ? AND team <> '' GROUP BY team ORDER BY lower(team), team`, true).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	if out == nil {
		out = []Team{}
	}
	return out, nil
}

// Refs returns the short form of each person in ids that exists, inactive
// people included (past events still name them). Unknown and malformed ids
// are left out of the map rather than failing the whole lookup.
func (s *Service) Refs(ctx context.Context, ids []string) (map[string]PersonRef, error) {
	out := map[string]PersonRef{}
	rows, err := rowsByColumn(ctx, s.db, "id", canonicalIDs(ids))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = PersonRef{ID: r.ID, Name: r.Name, Team: r.Team, Timezone: r.Timezone}
	}
	return out, nil
}

// ManagerOf maps each person in personIDs who has a manager to that
// manager's id (direct managers only). Events use it to warn when an
// investigator manages someone involved.
func (s *Service) ManagerOf(ctx context.Context, personIDs []string) (map[string]string, error) {
	out := map[string]string{}
	rows, err := rowsByColumn(ctx, s.db, "id", canonicalIDs(personIDs))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.ManagerID != nil {
			out[r.ID] = *r.ManagerID
		}
	}
	return out, nil
}

func canonicalIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if c, ok := idgen.Canonical(id); ok {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

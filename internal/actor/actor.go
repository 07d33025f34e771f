// Package actor describes who is making a request — their account, linked
// person and role — so that feature services can decide what that caller
// may see and change without knowing about HTTP.
package actor

import "fmt"

// Role is an account's role.
type Role string

// Roles, from DESIGN.md: admins manage settings and users, facilitators run
// events, members see what they take part in, leaders read published work.
const (
	Admin       Role = "admin"
	Facilitator Role = "facilitator"
	Member      Role = "member"
	Leader      Role = "leader"
)

// Roles lists every role in a stable order.
func Roles() []Role { return []Role{Admin, Facilitator, Member, Leader} }

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("%q is not a role; use admin, facilitator, member or leader", s)
}

// Actor is the signed-in caller.
type Actor struct {
	UserID string
	// PersonID links the account to a Person; empty when not linked.
	PersonID string
	Name     string
	Email    string
	Role     Role
}

// IsAdmin reports whether the caller administers Debrief.
func (a Actor) IsAdmin() bool { return a.Role == Admin }

// RunsEvents reports whether the caller may create and edit events, people
// and their records: facilitators and admins.
func (a Actor) RunsEvents() bool { return a.Role == Admin || a.Role == Facilitator }

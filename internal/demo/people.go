package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"github.com/debrief-dev/debrief/internal/people"
)

// person is one row of the demo directory. The directory is fictional; it
// is shaped like a real engineering organization so that scheduling,
// learning-team composition and the investigator warnings have something
// realistic to work on: managers above practitioners, teams spread over
// time zones on both hemispheres, half-hour offsets, split days, part-time
// weeks and shifts that cross midnight.
type person struct {
	Name    string
	Email   string
	Team    string
	Level   string
	Manager string // manager's email; "" for the top of the org
	Zone    string
	Hours   string
	Systems []string
}

// Teams of the demo organization.
const (
	teamLeadership  = "Engineering Leadership"
	teamPayments    = "Payments"
	teamPlatform    = "Platform"
	teamData        = "Data"
	teamMobile      = "Mobile"
	teamSupport     = "Support"
	teamSecurity    = "Security"
	teamIdentity    = "Identity"
	teamReliability = "Reliability"
)

// Emails of the people the events and demo accounts refer to by name, so a
// typo is a compile error rather than a lookup failure at run time.
const (
	olumide  = "olumide.adeyemi@example.com"
	catalina = "catalina.restrepo@example.com"
	hiroshi  = "hiroshi.tanaka@example.com"

	lena   = "lena.fischer@example.com"
	priya  = "priya.raman@example.com"
	tomas  = "tomas.herrera@example.com"
	grace  = "grace.mensah@example.com"
	jonas  = "jonas.becker@example.com"
	wei    = "wei.zhang@example.com"
	rafael = "rafael.mendes@example.com"

	beatriz = "beatriz.souza@example.com"
	ethan   = "ethan.brooks@example.com"
	chloe   = "chloe.nguyen@example.com"
	mateo   = "mateo.rossi@example.com"
	ahmed   = "ahmed.khalil@example.com"

	ananya = "ananya.iyer@example.com"
	arjun  = "arjun.mehta@example.com"
	sofia  = "sofia.petrova@example.com"
	yuki   = "yuki.sato@example.com"
	lucas  = "lucas.moreau@example.com"

	isabel = "isabel.ortiz@example.com"
	noah   = "noah.kim@example.com"
	fatima = "fatima.benali@example.com"
	liam   = "liam.oconnor@example.com"
	hana   = "hana.kobayashi@example.com"

	thandiwe = "thandiwe.mokoena@example.com"
	maria    = "maria.santos@example.com"
	oliver   = "oliver.bennett@example.com"
	keisha   = "keisha.robinson@example.com"
	sipho    = "sipho.dlamini@example.com"
	emily    = "emily.walsh@example.com"

	aroha  = "aroha.ngata@example.com"
	dmitri = "dmitri.volkov@example.com"
	nadia  = "nadia.haddad@example.com"
	tane   = "tane.parata@example.com"
	ifeoma = "ifeoma.nwosu@example.com"

	samuel = "samuel.osei@example.com"
	camila = "camila.rojas@example.com"
	vikram = "vikram.nair@example.com"
	zoe    = "zoe.campbell@example.com"

	ingrid = "ingrid.halvorsen@example.com"
	kwame  = "kwame.asante@example.com"
)

// directory returns the demo organization. Managers come before the people
// they manage only for readability; the import accepts any order.
func directory() []person {
	return []person{
		// Leadership: one VP and two directors, in three time zones.
		{"Olumide Adeyemi", olumide, teamLeadership, "VP", "", "Europe/London", "mon-fri 08:30-17:00", nil},
		{"Catalina Restrepo", catalina, teamLeadership, "director", olumide, "America/New_York", "mon-fri 09:00-17:30", nil},
		{"Hiroshi Tanaka", hiroshi, teamLeadership, "director", olumide, "Asia/Tokyo", "mon-fri 09:30-18:00", nil},

		// Payments: Berlin and London, with its longest-serving expert in India.
		{"Lena Fischer", lena, teamPayments, "manager", catalina, "Europe/Berlin", "mon-fri 09:00-17:00", []string{"checkout", "payments-api"}},
		{"Priya Raman", priya, teamPayments, "staff engineer", lena, "Asia/Kolkata", "mon-fri 10:00-18:30", []string{"ledger", "payments-api", "pgbouncer"}},
		{"Tomás Herrera", tomas, teamPayments, "senior engineer", lena, "Europe/Berlin", "mon-fri 08:00-12:00,13:00-17:00", []string{"payments-api", "pgbouncer"}},
		{"Grace Mensah", grace, teamPayments, "engineer", lena, "Europe/London", "mon-fri 09:00-17:00", []string{"checkout", "payments-api"}},
		{"Jonas Becker", jonas, teamPayments, "senior engineer", lena, "Europe/Berlin", "mon-thu 09:00-17:00", []string{"checkout", "ledger"}},
		{"Wei Zhang", wei, teamPayments, "engineer", lena, "Europe/London", "mon-fri 09:30-17:30", []string{"checkout"}},

		// Platform: São Paulo, New York, Sydney and Berlin — a follow-the-sun rotation.
		{"Rafael Mendes", rafael, teamPlatform, "manager", hiroshi, "America/Sao_Paulo", "mon-fri 09:00-18:00", []string{"kubernetes"}},
		{"Beatriz Souza", beatriz, teamPlatform, "staff engineer", rafael, "America/Sao_Paulo", "mon-fri 08:00-12:00,13:30-17:30", []string{"kubernetes", "load-balancer", "postgresql", "service-discovery"}},
		{"Ethan Brooks", ethan, teamPlatform, "senior engineer", rafael, "America/New_York", "mon-fri 09:00-17:00", []string{"pgbouncer", "service-discovery"}},
		{"Chloe Nguyen", chloe, teamPlatform, "senior engineer", rafael, "Australia/Sydney", "mon-fri 08:30-16:30", []string{"cert-manager", "kubernetes"}},
		{"Mateo Rossi", mateo, teamPlatform, "engineer", rafael, "America/Sao_Paulo", "mon-fri 10:00-19:00", []string{"kubernetes", "load-balancer"}},
		{"Ahmed Khalil", ahmed, teamPlatform, "engineer", rafael, "Europe/Berlin", "mon-fri 09:00-17:00", []string{"kubernetes"}},

		// Data: Kolkata, Berlin and Tokyo.
		{"Ananya Iyer", ananya, teamData, "manager", hiroshi, "Asia/Kolkata", "mon-fri 09:30-18:00", []string{"kafka"}},
		{"Arjun Mehta", arjun, teamData, "senior engineer", ananya, "Asia/Kolkata", "mon-fri 11:00-19:30", []string{"kafka", "ledger-db", "postgresql"}},
		{"Sofia Petrova", sofia, teamData, "staff engineer", ananya, "Europe/Berlin", "mon-fri 09:00-17:00", []string{"kafka", "ledger-db", "postgresql"}},
		{"Yuki Sato", yuki, teamData, "engineer", ananya, "Asia/Tokyo", "mon-fri 09:00-17:30", []string{"analytics-loader", "kafka"}},
		{"Lucas Moreau", lucas, teamData, "engineer", ananya, "Europe/Berlin", "mon,tue,thu,fri 09:00-17:00", []string{"analytics-loader"}},

		// Mobile: Los Angeles, New York, Auckland and Tokyo.
		{"Isabel Ortiz", isabel, teamMobile, "manager", catalina, "America/Los_Angeles", "mon-fri 09:00-17:00", []string{"mobile-app"}},
		{"Noah Kim", noah, teamMobile, "senior engineer", isabel, "America/Los_Angeles", "mon-fri 10:00-18:00", []string{"mobile-app"}},
		{"Fatima Zahra Benali", fatima, teamMobile, "engineer", isabel, "America/New_York", "mon-fri 08:00-16:00", []string{"mobile-app"}},
		{"Liam O'Connor", liam, teamMobile, "engineer", isabel, "Pacific/Auckland", "mon-fri 08:30-17:00", []string{"mobile-app", "push-notifications"}},
		{"Hana Kobayashi", hana, teamMobile, "staff engineer", isabel, "Asia/Tokyo", "mon-fri 10:00-18:30", []string{"mobile-app", "push-notifications"}},

		// Support: follow-the-sun, with a late shift in London and a night
		// shift in New York that crosses midnight.
		{"Thandiwe Mokoena", thandiwe, teamSupport, "manager", catalina, "Africa/Johannesburg", "mon-fri 08:00-16:30", []string{"support-desk"}},
		{"Maria Santos", maria, teamSupport, "senior engineer", thandiwe, "Asia/Manila", "mon-fri 07:00-16:00", []string{"support-desk"}},
		{"Oliver Bennett", oliver, teamSupport, "engineer", thandiwe, "Europe/London", "mon-fri 14:00-22:00", []string{"support-desk"}},
		{"Keisha Robinson", keisha, teamSupport, "engineer", thandiwe, "America/New_York", "sun-thu 22:00-06:00", []string{"support-desk"}},
		{"Sipho Dlamini", sipho, teamSupport, "engineer", thandiwe, "Africa/Johannesburg", "mon-wed 08:00-16:00", []string{"support-desk"}},
		{"Emily Walsh", emily, teamSupport, "senior engineer", thandiwe, "Australia/Adelaide", "mon-fri 08:30-17:00", []string{"api-gateway", "support-desk"}},

		// Security: Auckland, Berlin and London.
		{"Aroha Ngata", aroha, teamSecurity, "manager", hiroshi, "Pacific/Auckland", "mon-fri 08:30-17:00", []string{"vault"}},
		{"Dmitri Volkov", dmitri, teamSecurity, "senior engineer", aroha, "Europe/Berlin", "mon-fri 09:00-17:00", []string{"dns", "vault"}},
		{"Nadia Haddad", nadia, teamSecurity, "staff engineer", aroha, "Europe/London", "mon-thu 08:00-12:00,13:00-16:30; fri 08:00-12:00", []string{"identity-sessions", "vault"}},
		{"Tane Parata", tane, teamSecurity, "engineer", aroha, "Pacific/Auckland", "mon-fri 09:00-17:30", []string{"dns", "vault"}},
		{"Ifeoma Nwosu", ifeoma, teamSecurity, "engineer", aroha, "Europe/London", "mon-fri 09:00-17:00", []string{"vault"}},

		// Identity: New York, São Paulo, Kolkata (late hours to overlap the
		// Americas) and Los Angeles.
		{"Samuel Osei", samuel, teamIdentity, "manager", catalina, "America/New_York", "mon-fri 09:00-17:00", []string{"identity-sessions"}},
		{"Camila Rojas", camila, teamIdentity, "senior engineer", samuel, "America/Sao_Paulo", "mon-fri 09:00-18:00", []string{"identity-sessions"}},
		{"Vikram Nair", vikram, teamIdentity, "senior engineer", samuel, "Asia/Kolkata", "mon-fri 12:00-20:30", []string{"identity-sessions", "sso"}},
		{"Zoe Campbell", zoe, teamIdentity, "engineer", samuel, "America/Los_Angeles", "mon-fri 08:00-16:30", []string{"sso"}},

		// Reliability: the two people who usually facilitate reviews. They
		// report to a director so that they manage nobody they interview.
		{"Ingrid Halvorsen", ingrid, teamReliability, "staff engineer", hiroshi, "Europe/London", "mon-fri 09:00-17:30", []string{"incident-review"}},
		{"Kwame Asante", kwame, teamReliability, "senior engineer", hiroshi, "America/New_York", "mon-fri 09:00-17:00", []string{"incident-review", "on-call"}},
	}
}

// directoryCSV renders the directory as the CSV people.Import reads, so the
// demo goes through the same import path, and the same checks, as an HR
// export. The header is whatever the import declares; a column the demo
// has no value for is left empty. encoding/csv quotes the fields that need
// it (working hours with commas).
func directoryCSV(dir []person) ([]byte, error) {
	cols := people.ImportColumns()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(cols); err != nil {
		return nil, fmt.Errorf("write demo CSV header: %w", err)
	}
	for _, p := range dir {
		values := map[string]string{
			"name": p.Name, "email": p.Email, "team": p.Team, "level": p.Level,
			"manager_email": p.Manager, "timezone": p.Zone, "working_hours": p.Hours,
		}
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = values[c]
		}
		if err := w.Write(rec); err != nil {
			return nil, fmt.Errorf("write demo CSV row for %s: %w", p.Email, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write demo CSV: %w", err)
	}
	return buf.Bytes(), nil
}

// distinct returns the sorted distinct values of field over people.
func distinct(people []person, field func(person) string) []string {
	var out []string
	for _, p := range people {
		out = append(out, field(p))
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(a, b) })
	return slices.Compact(out)
}

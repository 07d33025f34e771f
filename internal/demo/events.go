package demo

import (
	"time"

	"github.com/debrief-dev/debrief/internal/events"
)

// eventSpec is one demo event as it should look after loading. People are
// named by email and resolved to ids at load time.
type eventSpec struct {
	Title        string
	Kind         events.Kind
	Status       events.Status
	Start        start
	End          when // nil for an event without a recorded end
	Severity     string
	Systems      []string
	Investigator string
	Summary      string
	Timeline     []entrySpec
	Involvements []involvementSpec
	References   []events.ReferenceInput
}

// entrySpec is one timeline entry: Who is a person's email, or Actor a
// free-text actor such as a tool; never both.
type entrySpec struct {
	At     when
	Who    string
	Actor  string
	Kind   events.TimelineKind
	Body   string
	Source string
}

type involvementSpec struct {
	Who  string
	Role events.Role
	Note string
}

// Shorthands that keep the timelines below readable.
const (
	obs  = events.TimelineObservation
	act  = events.TimelineAction
	comm = events.TimelineCommunication
	hyp  = events.TimelineHypothesis
	dec  = events.TimelineDecision
)

// catalogue returns the six demo events: one of each kind, five of the six
// statuses, and both investigator warnings. Only one is an outage, because
// the method learns as much from a near miss, a change that went well, an
// exercise, something nobody can explain yet and ordinary work.
//
// The text is written the way Debrief asks facilitators to write: it
// describes what happened and what people saw at the time, names many
// contributors and no single cause, and records what helped as carefully
// as what made things hard.
func catalogue() []eventSpec {
	return []eventSpec{
		checkoutIncident(),
		certificateNearMiss(),
		ledgerUpgrade(),
		failoverGameDay(),
		queueSurprise(),
		handoverNormalWork(),
	}
}

func checkoutIncident() eventSpec {
	const chat = "https://chat.example.com/archives/C04PAYINC/"
	return eventSpec{
		Title:    "Checkout slowed, then returned errors, during a flash-sale push",
		Kind:     events.KindIncident,
		Status:   events.StatusAnalyzing,
		Start:    start{daysAgo: 12, on: monToThu(), zone: "Europe/Berlin", clock: "17:58"},
		End:      after(hour + 2*minute),
		Severity: "SEV-2",
		Systems:  []string{"checkout", "payments-api", "pgbouncer", "postgres-payments", "mobile-app"},
		Summary: "On a weekday evening in Europe, checkout slowed and then returned errors for about 40 minutes. " +
			"At the worst point about a third of payment confirmations ended in an error, and 212 orders stayed " +
			"pending until the ledger reconciled them overnight.\n\n" +
			"A flash-sale push notification brought 3.4 times the usual traffic, a week after payments-api's " +
			"connection pool had been made smaller for the PgBouncer rollout. Adding pods — the move that had worked " +
			"for earlier traffic spikes — put more clients in front of the same PgBouncer pool, so requests waited " +
			"longer. The database looked healthy throughout, which kept attention away from the connection path for " +
			"a while, and the person who knew this pattern best was in Kolkata, late in her evening. The mobile " +
			"app's retries added load while responses were slow.\n\n" +
			"What helped: Priya Raman recognised the queueing from earlier work on the ledger, and PgBouncer's pool " +
			"could be raised with a reload instead of a restart, which brought errors down within minutes. Still " +
			"open: how the load test for the pool change was shaped, and how push campaigns reach the teams that " +
			"run checkout.",
		Investigator: kwame,
		Timeline: []entrySpec{
			{At: before(7 * day), Who: tomas, Kind: dec, Source: "https://git.example.com/payments/payments-api/pull/1842",
				Body: "Merges the change that lowers payments-api's connection pool from 40 to 16 per pod, part of the PgBouncer rollout, to keep total connections under the database's ceiling. The load test at twice normal traffic passes."},
			{At: before(2 * minute), Actor: "Marketing automation", Kind: act,
				Body: "Flash-sale push notification goes out to about 2.1 million app installs."},
			{At: after(4 * minute), Actor: "PagerDuty", Kind: obs,
				Body: "Checkout p99 latency alert (p99 4.8 s against a 2 s threshold) pages the Payments on-call."},
			{At: after(6 * minute), Who: grace, Kind: act,
				Body: "Acknowledges the page and opens the checkout dashboard: request rate at 3.4 times the usual evening level."},
			{At: after(9 * minute), Who: grace, Kind: comm, Source: chat + "p1001",
				Body: "In #inc-checkout: \"Checkout slow, traffic way up after the push. Scaling payments-api like last Black Friday.\""},
			{At: after(11 * minute), Who: grace, Kind: act,
				Body: "Scales payments-api from 12 to 24 pods, the usual first move for a traffic spike."},
			{At: after(15 * minute), Who: oliver, Kind: comm, Source: chat + "p1002",
				Body: "Support has 40 tickets in ten minutes saying the payment spinner never finishes. Oliver posts in #inc-checkout and asks whether to update the status page."},
			{At: after(17 * minute), Who: grace, Kind: obs,
				Body: "Latency and errors keep rising after the scale-up. payments-api logs show \"timeout acquiring connection from pool\"; 31% of /checkout/confirm requests end in an error."},
			{At: after(19 * minute), Who: jonas, Kind: dec,
				Body: "Takes the incident commander role, opens a call, asks Support to post on the status page and asks Platform to join."},
			{At: after(21 * minute), Who: ethan, Kind: hyp,
				Body: "Is the database saturated by the extra traffic? postgres-payments shows CPU at 35% and connections well under its limit. The idea is set aside."},
			{At: after(24 * minute), Actor: "status page", Kind: comm, Source: "https://status.example.com/incidents/7fq2k9xw",
				Body: "\"Investigating: some customers cannot complete checkout. We are working on it.\""},
			{At: after(27 * minute), Who: tomas, Kind: hyp,
				Body: "Each pod now opens up to 16 connections through PgBouncer, whose pool for payments is 200. With 24 pods, up to 384 clients queue for 200 server connections, so more pods may mean a longer queue."},
			{At: after(31 * minute), Who: priya, Kind: comm, Source: chat + "p1003",
				Body: "Joins from home, late in the evening in Kolkata, after a direct message from Jonas. Recognises the queueing from a ledger incident two years ago and suggests raising PgBouncer's default_pool_size, which takes effect on reload without restarting pods."},
			{At: after(34 * minute), Who: jonas, Kind: dec,
				Body: "Keeps 24 pods and raises the PgBouncer pool from 200 to 320 instead of reverting the pool change: a revert restarts every payments-api pod in the middle of the peak."},
			{At: after(38 * minute), Who: ethan, Kind: act,
				Body: "Applies the new PgBouncer setting and reloads it; no connections are dropped."},
			{At: after(41 * minute), Actor: "Grafana", Kind: obs, Source: "https://grafana.example.com/d/checkout-overview/checkout",
				Body: "Errors on /checkout/confirm fall below 2%; p99 latency is back to 900 ms."},
			{At: after(48 * minute), Who: noah, Kind: obs,
				Body: "Notes in the channel that the app retries a checkout request after 5 s without an answer, so slow responses doubled the requests coming from phones during the spike."},
			{At: after(55 * minute), Actor: "status page", Kind: comm, Source: "https://status.example.com/incidents/7fq2k9xw",
				Body: "\"Resolved: checkout is working normally. Some orders may show as pending for a few minutes.\""},
			{At: after(62 * minute), Who: jonas, Kind: dec,
				Body: "Closes the call and asks Support to watch for pending orders; the ledger job reconciles 212 of them overnight."},
			{At: after(20 * hour), Who: lena, Kind: comm,
				Body: "Asks Reliability for a review; Kwame Asante agrees to investigate."},
		},
		Involvements: []involvementSpec{
			{grace, events.RoleResponder, "Payments on-call; paged first."},
			{jonas, events.RoleIncidentCommander, "Took the commander role about twenty minutes in."},
			{tomas, events.RoleChangeAuthor, "Wrote the pool-size change a week earlier."},
			{tomas, events.RoleResponder, "Joined the call and worked out the PgBouncer arithmetic."},
			{ethan, events.RoleResponder, "Platform; checked the database and applied the PgBouncer change."},
			{priya, events.RoleExpert, "Joined off-hours from Kolkata; knew the pattern from the ledger service."},
			{oliver, events.RoleNoticed, "On the late shift in Support; first to see customer reports."},
			{noah, events.RoleExpert, "Knows the mobile app's retry behaviour."},
			{wei, events.RoleNewcomer, "Second week on Payments; followed the incident channel."},
			{lena, events.RoleOwner, "Manages Payments, which owns checkout."},
		},
		References: []events.ReferenceInput{
			{URL: chat + "p1001", Label: "#inc-checkout channel", Kind: events.RefChatLog},
			{URL: "https://grafana.example.com/d/checkout-overview/checkout", Label: "Checkout overview", Kind: events.RefDashboard},
			{URL: "https://grafana.example.com/d/pgbouncer/pgbouncer-pools?var-cluster=payments", Label: "PgBouncer pools (payments)", Kind: events.RefDashboard},
			{URL: "https://git.example.com/payments/payments-api/pull/1842", Label: "payments-api #1842: pool size 40 → 16", Kind: events.RefPullRequest},
			{URL: "https://tickets.example.com/browse/PAY-3310", Label: "PAY-3310: pending orders after checkout slowdown", Kind: events.RefTicket},
			{URL: "https://status.example.com/incidents/7fq2k9xw", Label: "Status page incident", Kind: events.RefOther},
		},
	}
}

func certificateNearMiss() eventSpec {
	return eventSpec{
		Title:   "API certificate was nine hours from expiring",
		Kind:    events.KindNearMiss,
		Status:  events.StatusGathering,
		Start:   start{daysAgo: 20, on: monToThu(), zone: "Australia/Adelaide", clock: "09:12"},
		End:     after(95 * minute),
		Systems: []string{"api-gateway", "cert-manager", "dns", "vault"},
		Summary: "The TLS certificate for api.example.com was about nine hours from expiring when Emily Walsh in Support " +
			"read a customer's forwarded warning and raised it.\n\n" +
			"Automatic renewal had been getting 401 responses from the DNS provider for nearly three weeks. A routine " +
			"key rotation left cert-manager holding the revoked key: the rotation runbook lists four consumers of the " +
			"key, and cert-manager is not one of them. The seven-day expiry alert went to a chat channel that had been " +
			"archived during a migration. Eleven more certificates on the same issuer were in the same state.\n\n" +
			"What helped: a customer's partner watches our certificates; Emily took an uncertain signal seriously and " +
			"paged; Chloe Nguyen in Sydney and Tane Parata in Auckland were both in their working day, which made a " +
			"calm fix possible, and they chose to repair renewal rather than hand-install a certificate. A day later, " +
			"customers' integrations begin rejecting the API; a warning that lands on a weekend, or in a queue nobody " +
			"reads, leaves little time. We are gathering accounts from Support, Platform and Security.",
		Investigator: ingrid,
		Timeline: []entrySpec{
			{At: localAt(-21, "Europe/Berlin", "10:30"), Who: dmitri, Kind: act, Source: "https://wiki.example.com/security/runbooks/dns-key-rotation",
				Body: "Rotates the DNS provider's API keys on the quarterly schedule. The old key is revoked 48 hours later, as the runbook says."},
			{At: before(19 * day), Actor: "cert-manager", Kind: obs,
				Body: "The first renewal attempt for the api.example.com certificate gets 401 Unauthorized from the DNS provider during the DNS-01 challenge. It retries every hour from here on."},
			{At: before(7 * day), Actor: "Alertmanager", Kind: obs,
				Body: "CertificateExpiringSoon fires with seven days left and posts to #ops-alerts-old, a channel archived during last year's chat migration."},
			{At: after(0), Who: emily, Kind: obs, Source: "https://support.example.com/tickets/88213",
				Body: "Reads an email from a customer whose integration partner's monitoring warns that the api.example.com certificate expires in less than a day."},
			{At: after(6 * minute), Who: emily, Kind: obs,
				Body: "Checks the certificate in her browser: it expires in about nine hours."},
			{At: after(9 * minute), Who: emily, Kind: comm, Source: "https://chat.example.com/archives/C02SUPESC/p2001",
				Body: "Posts in #support-escalations and pages the Platform on-call: \"Not sure if this is real, but our API cert looks like it expires today.\""},
			{At: after(14 * minute), Who: chloe, Kind: obs,
				Body: "Acknowledges from Sydney. cert-manager shows the certificate as not ready, with more than 450 unsuccessful challenges."},
			{At: after(20 * minute), Who: chloe, Kind: hyp,
				Body: "A DNS provider outage? Their status page is green and other zones resolve. Set aside."},
			{At: after(27 * minute), Who: chloe, Kind: hyp,
				Body: "cert-manager's logs show 401 Unauthorized from the DNS API, so the credentials it uses may be out of date."},
			{At: after(31 * minute), Who: chloe, Kind: comm,
				Body: "Pages the Security on-call; Tane Parata answers from Auckland."},
			{At: after(38 * minute), Who: tane, Kind: obs,
				Body: "Finds the new DNS key in Vault. The Kubernetes secret cert-manager reads still holds the revoked key; the rotation runbook lists four consumers of the key and cert-manager is not among them."},
			{At: after(44 * minute), Who: chloe, Kind: dec,
				Body: "Chloe and Tane choose to update the secret and let cert-manager renew, rather than upload a certificate by hand, so that renewal stays automatic."},
			{At: after(52 * minute), Who: tane, Kind: act,
				Body: "Updates the secret; Chloe triggers a renewal with cmctl."},
			{At: after(58 * minute), Actor: "cert-manager", Kind: obs,
				Body: "New certificate issued, valid for 90 days."},
			{At: after(66 * minute), Who: emily, Kind: comm,
				Body: "Replies to the customer, thanking them and their partner for the warning."},
			{At: after(95 * minute), Who: chloe, Kind: obs, Source: "https://grafana.example.com/d/certs/certificate-expiry",
				Body: "Finds eleven more certificates on the same issuer with the same 401s, the earliest expiring in twelve days, and renews them all."},
			{At: after(26 * hour), Who: aroha, Kind: comm,
				Body: "Asks Reliability to look at this as a near miss; Ingrid Halvorsen opens this event."},
		},
		Involvements: []involvementSpec{
			{emily, events.RoleNoticed, "Read the customer's warning and paged Platform."},
			{chloe, events.RoleResponder, "Platform on-call in Sydney."},
			{tane, events.RoleResponder, "Security on-call in Auckland."},
			{dmitri, events.RoleChangeAuthor, "Rotated the DNS keys three weeks earlier, following the runbook."},
			{beatriz, events.RoleExpert, "Set up cert-manager and its DNS issuer."},
			{aroha, events.RoleOwner, "Security owns the key rotation runbook."},
		},
		References: []events.ReferenceInput{
			{URL: "https://support.example.com/tickets/88213", Label: "Support ticket 88213: customer's warning", Kind: events.RefTicket},
			{URL: "https://chat.example.com/archives/C02SUPESC/p2001", Label: "#support-escalations thread", Kind: events.RefChatLog},
			{URL: "https://grafana.example.com/d/certs/certificate-expiry", Label: "Certificate expiry", Kind: events.RefDashboard},
			{URL: "https://wiki.example.com/security/runbooks/dns-key-rotation", Label: "DNS key rotation runbook", Kind: events.RefDocument},
		},
	}
}

func ledgerUpgrade() eventSpec {
	return eventSpec{
		Title:   "Ledger database upgraded from PostgreSQL 13 to 16",
		Kind:    events.KindChange,
		Status:  events.StatusPublished,
		Start:   start{daysAgo: 30, on: []time.Weekday{time.Tuesday}, zone: "Europe/Berlin", clock: "08:30"},
		End:     after(35 * minute),
		Systems: []string{"ledger-db", "postgresql", "pgbouncer", "payments-api"},
		Summary: "The Data team moved the ledger database from PostgreSQL 13 to 16 with 14 minutes of paused payouts " +
			"and no customer contacts.\n\n" +
			"What made it go well: three rehearsals on a snapshot copy, each of which changed the runbook; four days of " +
			"logical replication before the cut-over; abort points written down in advance, with the old primary kept " +
			"writable for a day and read-only for a week; and a time chosen so that Berlin, Kolkata and Tokyo were all " +
			"in working hours, so the people who knew each part were awake.\n\n" +
			"One surprise: Yuki Sato, three weeks into the team, saw that one table differed by two rows. Arjun Mehta " +
			"recognised a batch job that does not read the writer flag, and the team copied the two rows and carried on " +
			"instead of rolling back. The review looks at how the rehearsals built confidence and which of these " +
			"habits other teams can borrow.",
		Investigator: ingrid,
		Timeline: []entrySpec{
			{At: before(14 * day), Who: sofia, Kind: comm, Source: "https://wiki.example.com/data/ledger-pg16-upgrade",
				Body: "Shares the upgrade plan (PostgreSQL 13 to 16 by logical replication) with Payments and Platform; Priya Raman and Beatriz Souza review it."},
			{At: before(13 * day), Who: arjun, Kind: obs,
				Body: "Rehearsal 1 on a snapshot copy: the cut-over takes 19 minutes. Logical replication does not carry sequence values, so a sync step goes into the runbook."},
			{At: before(7 * day), Who: yuki, Kind: obs, Source: "https://video.example.com/recordings/ledger-rehearsal-3",
				Body: "Rehearsal 3, with Yuki running the checks: the cut-over takes 4 minutes 10 seconds."},
			{At: before(4 * day), Who: arjun, Kind: act,
				Body: "Starts logical replication to the new PostgreSQL 16 primary. Replication lag stays under a second through the four days before the cut-over."},
			{At: after(0), Who: sofia, Kind: comm, Source: "https://chat.example.com/archives/C06LEDGER16/p3001",
				Body: "Opens #chg-ledger-pg16 and posts the go/no-go checklist. The hour was picked so that Berlin, Kolkata and Tokyo are all in working hours."},
			{At: after(5 * minute), Who: sofia, Kind: dec,
				Body: "Go: every checklist item is green. First abort point passed."},
			{At: after(8 * minute), Who: priya, Kind: act,
				Body: "Pauses ledger writers with the feature flag; new payouts queue and customers see \"processing\"."},
			{At: after(10 * minute), Who: arjun, Kind: act,
				Body: "Replication lag reaches zero; runs the sequence sync script."},
			{At: after(12 * minute), Who: yuki, Kind: obs,
				Body: "Row counts match on 41 of 42 tables; ledger_adjustments differs by 2 rows."},
			{At: after(14 * minute), Who: arjun, Kind: hyp,
				Body: "The adjustments batch job starts around this hour and does not read the writer flag, so it may have written during the pause."},
			{At: after(16 * minute), Who: sofia, Kind: dec,
				Body: "Holds at the second abort point: copy the two rows and check again rather than roll back, since the old primary is intact and stays writable for 24 hours."},
			{At: after(20 * minute), Who: arjun, Kind: act,
				Body: "Copies the two rows; all 42 tables match."},
			{At: after(22 * minute), Who: arjun, Kind: act, Source: "https://git.example.com/platform/infra/pull/3120",
				Body: "Merges the change Beatriz Souza prepared the week before, pointing PgBouncer at the new primary; Priya turns the ledger writers back on."},
			{At: after(26 * minute), Actor: "Grafana", Kind: obs, Source: "https://grafana.example.com/d/ledger-db/ledger-database",
				Body: "The payout queue drains in three minutes; latency and error rates match the week before."},
			{At: after(35 * minute), Who: sofia, Kind: comm, Source: "https://chat.example.com/archives/C06LEDGER16/p3002",
				Body: "\"Ledger is on 16. The old primary stays read-only for a week as a fallback.\""},
			{At: after(7 * day), Who: arjun, Kind: act,
				Body: "Decommissions the old primary after a week in which the fallback was not needed."},
		},
		Involvements: []involvementSpec{
			{sofia, events.RoleChangeAuthor, "Planned and led the upgrade."},
			{arjun, events.RoleChangeAuthor, "Ran replication, the sequence sync and the rehearsals."},
			{yuki, events.RoleNewcomer, "Third week on the team; ran the row-count checks and spotted the difference."},
			{priya, events.RoleOwner, "Ledger owner; paused and resumed the writers."},
			{beatriz, events.RoleExpert, "Platform database infrastructure; reviewed the plan and prepared the PgBouncer switch."},
			{maria, events.RoleAffected, "Support was told in advance and watched for payout questions."},
		},
		References: []events.ReferenceInput{
			{URL: "https://wiki.example.com/data/ledger-pg16-upgrade", Label: "Upgrade plan and runbook", Kind: events.RefDocument},
			{URL: "https://chat.example.com/archives/C06LEDGER16/p3001", Label: "#chg-ledger-pg16 channel", Kind: events.RefChatLog},
			{URL: "https://git.example.com/platform/infra/pull/3120", Label: "infra #3120: PgBouncer to ledger-pg16", Kind: events.RefPullRequest},
			{URL: "https://grafana.example.com/d/ledger-db/ledger-database", Label: "Ledger database", Kind: events.RefDashboard},
			{URL: "https://video.example.com/recordings/ledger-rehearsal-3", Label: "Rehearsal 3 recording", Kind: events.RefRecording},
		},
	}
}

func failoverGameDay() eventSpec {
	return eventSpec{
		Title:   "Game day: checkout fails over from eu-west to eu-central",
		Kind:    events.KindGameDay,
		Status:  events.StatusPublished,
		Start:   start{daysAgo: 40, on: []time.Weekday{time.Thursday}, zone: "Europe/London", clock: "14:00"},
		End:     after(90 * minute),
		Systems: []string{"checkout", "payments-api", "identity-sessions", "load-balancer", "service-discovery"},
		Summary: "A planned exercise moved checkout, payments-api and identity sessions from eu-west to eu-central under " +
			"real traffic, and back again. Traffic moved in six minutes and checkout stayed under the abort line " +
			"throughout.\n\n" +
			"Three things surprised the team. Service discovery answers are cached for five minutes, not the one " +
			"minute the runbook assumes, so calls kept crossing regions for a while. The session cache in eu-central " +
			"starts cold, which signed some users out until Camila Rojas applied a rate-limit change she had prepared " +
			"the week before. And one runbook step needs a role that two people in Platform hold.\n\n" +
			"Ahmed Khalil, in his fourth week, drove the runbook, which says something good about how it reads to " +
			"someone new. The write-up covers the exercise, what it showed about our assumptions, and the follow-ups " +
			"the learning team agreed.",
		Investigator: kwame,
		Timeline: []entrySpec{
			{At: before(14 * day), Who: beatriz, Kind: dec, Source: "https://wiki.example.com/platform/game-days/eu-failover",
				Body: "Sets the scope with Rafael Mendes: move checkout, payments-api and identity sessions to eu-central under real traffic, 5% first. Abort if checkout errors stay above 2% for five minutes."},
			{At: before(3 * day), Who: thandiwe, Kind: comm,
				Body: "Briefs Support on the window and on what customers might notice; a maintenance note goes on the status page."},
			{At: after(0), Who: beatriz, Kind: comm, Source: "https://video.example.com/recordings/eu-failover-game-day",
				Body: "Opens the exercise call and restates the abort line. Ahmed Khalil drives the runbook; Ethan Brooks and Grace Mensah watch their services."},
			{At: after(5 * minute), Who: ahmed, Kind: act,
				Body: "Step 1: moves 5% of traffic away from eu-west at the load balancer."},
			{At: after(12 * minute), Actor: "Grafana", Kind: obs, Source: "https://grafana.example.com/d/regions/regional-traffic",
				Body: "5% served from eu-central; latency up 40 ms, as expected."},
			{At: after(15 * minute), Who: beatriz, Kind: dec,
				Body: "Proceed to 100%."},
			{At: after(18 * minute), Who: ahmed, Kind: act,
				Body: "Moves all traffic to eu-central."},
			{At: after(21 * minute), Who: grace, Kind: obs,
				Body: "payments-api in eu-central still sends about 30% of its calls to eu-west."},
			{At: after(24 * minute), Who: ethan, Kind: hyp,
				Body: "Service discovery answers are cached for 300 seconds, not the 60 the runbook assumes; expects the calls to move within five minutes."},
			{At: after(27 * minute), Who: camila, Kind: obs,
				Body: "Sign-outs rising: the session cache in eu-central is cold, and reads that miss it run into the session database's rate limit."},
			{At: after(29 * minute), Who: beatriz, Kind: dec,
				Body: "Hold, no abort: checkout errors at 1.1%, under the line."},
			{At: after(33 * minute), Who: camila, Kind: act,
				Body: "Applies a higher rate limit for the session database in eu-central, a change she had prepared the week before in case of this."},
			{At: after(40 * minute), Actor: "Grafana", Kind: obs,
				Body: "All calls served in eu-central; sign-outs back to their usual level; checkout errors at 0.3%."},
			{At: after(45 * minute), Who: mateo, Kind: obs,
				Body: "Runbook step 9 needs the dns-admin role, which Mateo does not have; Ethan runs the step. Two people in Platform hold the role."},
			{At: after(70 * minute), Who: ahmed, Kind: act,
				Body: "Fails back to eu-west; it takes six minutes."},
			{At: after(90 * minute), Who: beatriz, Kind: comm,
				Body: "Closes the exercise and shares the notes; the status page note comes down."},
		},
		Involvements: []involvementSpec{
			{beatriz, events.RoleIncidentCommander, "Led the exercise."},
			{ahmed, events.RoleNewcomer, "Drove the runbook in his fourth week."},
			{ethan, events.RoleResponder, "Watched service discovery; ran step 9."},
			{grace, events.RoleResponder, "Watched payments-api."},
			{camila, events.RoleResponder, "Watched identity sessions; applied the prepared rate-limit change."},
			{mateo, events.RoleResponder, "Followed the runbook alongside Ahmed."},
			{thandiwe, events.RoleAffected, "Briefed Support and watched for customer contacts."},
			{rafael, events.RoleOwner, "Sponsored the exercise."},
		},
		References: []events.ReferenceInput{
			{URL: "https://wiki.example.com/platform/game-days/eu-failover", Label: "Exercise plan and runbook", Kind: events.RefDocument},
			{URL: "https://video.example.com/recordings/eu-failover-game-day", Label: "Exercise call recording", Kind: events.RefRecording},
			{URL: "https://grafana.example.com/d/regions/regional-traffic", Label: "Regional traffic", Kind: events.RefDashboard},
			{URL: "https://tickets.example.com/browse/PLAT-2207", Label: "PLAT-2207: service discovery cache time", Kind: events.RefTicket},
		},
	}
}

func queueSurprise() eventSpec {
	return eventSpec{
		Title:   "Backlog of 1.8 million messages on order-events cleared without anyone acting",
		Kind:    events.KindSurprise,
		Status:  events.StatusOpen,
		Start:   start{daysAgo: 5, on: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday}, zone: "Asia/Tokyo", clock: "11:40"},
		End:     after(58 * minute),
		Systems: []string{"kafka", "order-events", "analytics-loader"},
		Summary: "Around midday in Tokyo, analytics-loader fell 1.8 million messages behind on order-events and then " +
			"caught up within the hour, faster than it has been measured to go. Nobody changed anything.\n\n" +
			"Several explanations were raised and set aside: a message the consumers could not process, a rebalance " +
			"loop, a surge from the mobile release. A later look at broker 3 found its replicas leaving and rejoining " +
			"the in-sync set at the same time, which may or may not be connected.\n\n" +
			"Yuki Sato chose not to restart the consumers because the reports fed by this data tolerate delay; that " +
			"kept the picture intact for study. This event is open: the team wants to learn what normal lag looks " +
			"like and what the brokers were doing.",
		Investigator: ananya,
		Timeline: []entrySpec{
			{At: after(0), Actor: "Alertmanager", Kind: obs,
				Body: "ConsumerLagHigh for analytics-loader on order-events: 420,000 messages behind and rising."},
			{At: after(3 * minute), Who: yuki, Kind: obs, Source: "https://grafana.example.com/d/kafka-lag/consumer-lag?var-group=analytics-loader",
				Body: "Acknowledges. Lag grows by about 40,000 a minute; the consumers are healthy, CPU is low and their logs are quiet."},
			{At: after(8 * minute), Who: yuki, Kind: hyp,
				Body: "A message the consumers cannot process? The dead-letter queue is empty. Set aside."},
			{At: after(12 * minute), Who: yuki, Kind: comm, Source: "https://chat.example.com/archives/C03DATAOC/p4001",
				Body: "Asks in #data-oncall whether anyone has seen this before; Arjun Mehta replies from his phone before his day starts."},
			{At: after(15 * minute), Who: arjun, Kind: hyp,
				Body: "A rebalance loop in the consumer group? Membership is steady at 24 consumers and no rebalances are logged. Set aside."},
			{At: after(18 * minute), Actor: "Grafana", Kind: obs,
				Body: "Lag peaks at 1.8 million messages."},
			{At: after(20 * minute), Who: yuki, Kind: dec,
				Body: "Holds off restarting the consumers: the reports fed by this data tolerate a few hours of delay, and a restart would trigger a rebalance."},
			{At: after(23 * minute), Who: hana, Kind: hyp,
				Body: "Mentions that mobile release 5.12 reached 20% of users half an hour earlier and sends more analytics events."},
			{At: after(26 * minute), Who: arjun, Kind: obs,
				Body: "The produce rate on order-events is flat at its usual level, which does not fit a surge from the app."},
			{At: after(31 * minute), Who: yuki, Kind: obs,
				Body: "Lag starts falling by about 60,000 a minute, faster than these consumers have been measured to go."},
			{At: after(58 * minute), Who: yuki, Kind: obs,
				Body: "Lag is back to zero. Nobody changed anything in between."},
			{At: after(65 * minute), Who: yuki, Kind: comm, Source: "https://chat.example.com/archives/C03DATAOC/p4002",
				Body: "Posts a summary in #data-oncall: the backlog drained by itself, no data loss found so far, keeping an eye on it."},
			{At: localAt(1, "Europe/Berlin", "10:15"), Who: sofia, Kind: hyp, Source: "https://wiki.example.com/data/notes/broker-3-isr",
				Body: "Broker 3's logs show its replicas leaving and rejoining the in-sync set for 25 minutes around the same time. Possibly related; it is unclear how that would slow the consumers down and then speed them up."},
			{At: localAt(2, "Asia/Kolkata", "10:00"), Who: ananya, Kind: dec,
				Body: "Opens this as a surprise: the team wants to understand what normal lag looks like before deciding anything."},
		},
		Involvements: []involvementSpec{
			{yuki, events.RoleNoticed, "Data on-call in Tokyo; acknowledged the alert."},
			{yuki, events.RoleResponder, "Watched the lag and chose not to restart the consumers."},
			{arjun, events.RoleResponder, "Joined from his phone before his working day."},
			{sofia, events.RoleExpert, "Knows the Kafka brokers; found the in-sync replica changes."},
			{hana, events.RoleOther, "Raised the mobile release as a possible source of traffic."},
			{lucas, events.RoleOwner, "Owns analytics-loader."},
		},
		References: []events.ReferenceInput{
			{URL: "https://grafana.example.com/d/kafka-lag/consumer-lag?var-group=analytics-loader", Label: "Consumer lag: analytics-loader", Kind: events.RefDashboard},
			{URL: "https://chat.example.com/archives/C03DATAOC/p4001", Label: "#data-oncall thread", Kind: events.RefChatLog},
			{URL: "https://wiki.example.com/data/notes/broker-3-isr", Label: "Broker 3 in-sync replica log excerpt", Kind: events.RefDocument},
		},
	}
}

func handoverNormalWork() eventSpec {
	return eventSpec{
		Title:   "How on-call hands over across time zones",
		Kind:    events.KindNormalWork,
		Status:  events.StatusReviewing,
		Start:   start{daysAgo: 26, on: []time.Weekday{time.Monday}, zone: "Australia/Sydney", clock: "08:30"},
		End:     localAt(14, "Australia/Sydney", "09:00"),
		Systems: []string{"on-call", "pagerduty", "support-desk"},
		Summary: "Over two weeks we followed how on-call work passes between Sydney, São Paulo, New York, Berlin, Manila, " +
			"London and Johannesburg. Nothing went badly; this is a look at ordinary work that usually succeeds.\n\n" +
			"Support's four-line handover template (customer, state, next step, who is waiting) lets the next person " +
			"pick up a conversation without asking the customer to repeat themselves, and Platform tried it for a " +
			"week. Platform's handover notes live in several places and get shorter on Fridays, so context often sits " +
			"with someone who is asleep. The paging tool switches rotations at 00:00 UTC while people hand over when " +
			"their own day starts, so for a few hours a page can reach someone whose shift has ended.\n\n" +
			"Kwame Asante both investigated and took an on-call shift in this period, so a second reviewer is reading " +
			"the draft.",
		Investigator: kwame,
		Timeline: []entrySpec{
			{At: after(0), Who: chloe, Kind: act, Source: "https://wiki.example.com/platform/oncall/handover",
				Body: "Takes over the Platform primary on-call from Ethan Brooks. The handover document lists three open items."},
			{At: after(35 * minute), Who: chloe, Kind: obs, Source: "https://tickets.example.com/browse/OPS-4471",
				Body: "One item, \"watch disk on logs-3\", has no threshold or owner. Ethan is off until Monday in New York; Chloe finds the context in OPS-4471 after about 20 minutes."},
			{At: localAt(0, "Asia/Manila", "15:45"), Who: maria, Kind: comm, Source: "https://chat.example.com/archives/C07SUPHO/p5001",
				Body: "Posts the Support handover in #support-handover with the four-line template: customer, state, next step, who is waiting."},
			{At: localAt(0, "Europe/London", "14:10"), Who: oliver, Kind: act,
				Body: "Picks up six open conversations and answers two within ten minutes without asking the customers to repeat themselves."},
			{At: localAt(0, "America/Sao_Paulo", "19:40"), Actor: "PagerDuty", Kind: obs, Source: "https://example.pagerduty.com/schedules/PLAT01",
				Body: "A disk alert at the start of Chloe's Tuesday pages Mateo Rossi in São Paulo, whose working day has ended: the tool switches rotations at 00:00 UTC, while people hand over when their own day starts."},
			{At: localAt(0, "America/Sao_Paulo", "19:52"), Who: mateo, Kind: comm,
				Body: "Acknowledges the page from home and hands it to Chloe, who has already seen the alert."},
			{At: localAt(0, "America/New_York", "22:05"), Who: keisha, Kind: obs,
				Body: "A ticket promised an update \"by end of day\"; the customer is in Los Angeles, where the working day is ending. Keisha sends the update straight away."},
			{At: localAt(2, "Europe/Berlin", "09:20"), Who: ahmed, Kind: comm,
				Body: "In his first on-call week, asks in #oncall where the handover document lives and gets three different links."},
			{At: localAt(3, "America/New_York", "10:00"), Who: ethan, Kind: dec,
				Body: "Proposes one pinned handover document per rotation, as a two-week trial."},
			{At: localAt(4, "America/Sao_Paulo", "16:00"), Who: beatriz, Kind: obs,
				Body: "Compares four weeks of handover notes: Friday notes average three lines, other days nine."},
			{At: localAt(7, "America/New_York", "09:00"), Who: kwame, Kind: act,
				Body: "Takes the Americas shift for the week and keeps his own handover notes for this study."},
			{At: localAt(8, "Africa/Johannesburg", "11:00"), Who: thandiwe, Kind: dec, Source: "https://wiki.example.com/support/handover-template",
				Body: "Support keeps its template as it is; Platform will try it for a week."},
			{At: localAt(9, "Europe/London", "15:30"), Who: oliver, Kind: comm,
				Body: "Shares the Support template with Platform in #oncall, with two real examples."},
			{At: localAt(14, "Australia/Sydney", "08:45"), Who: chloe, Kind: obs,
				Body: "Monday handover with the template and the pinned document: five minutes, no follow-up questions."},
		},
		Involvements: []involvementSpec{
			{chloe, events.RoleResponder, "Platform on-call, Sydney."},
			{ethan, events.RoleResponder, "Platform on-call, New York."},
			{mateo, events.RoleResponder, "Platform on-call, São Paulo."},
			{ahmed, events.RoleNewcomer, "First on-call week during the study."},
			{maria, events.RoleResponder, "Support, Manila shift."},
			{oliver, events.RoleResponder, "Support, London late shift."},
			{keisha, events.RoleResponder, "Support, New York night shift."},
			{kwame, events.RoleResponder, "Took an Americas on-call shift during the study."},
			{thandiwe, events.RoleOwner, "Runs Support's follow-the-sun rota."},
			{rafael, events.RoleOwner, "Runs Platform's on-call rotation."},
		},
		References: []events.ReferenceInput{
			{URL: "https://wiki.example.com/platform/oncall/handover", Label: "Platform handover document", Kind: events.RefDocument},
			{URL: "https://wiki.example.com/support/handover-template", Label: "Support handover template", Kind: events.RefDocument},
			{URL: "https://chat.example.com/archives/C07SUPHO/p5001", Label: "#support-handover channel", Kind: events.RefChatLog},
			{URL: "https://tickets.example.com/browse/OPS-4471", Label: "OPS-4471: disk on logs-3", Kind: events.RefTicket},
			{URL: "https://example.pagerduty.com/schedules/PLAT01", Label: "Platform on-call schedule", Kind: events.RefOther},
		},
	}
}

package langcheck

import (
	"strings"
	"testing"
)

type ruleCase struct {
	kind Kind
	text string
	// span is the text the flag must cover (a substring of it is enough to
	// locate it); empty means any span.
	span string
}

func q(text string, span ...string) ruleCase { return ruleCase{KindQuestion, text, first(span)} }
func n(text string, span ...string) ruleCase { return ruleCase{KindNote, text, first(span)} }
func f(text string, span ...string) ruleCase { return ruleCase{KindFinding, text, first(span)} }

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// warnings returns the checker's warnings of one category.
func warnings(t *testing.T, c *Checker, rc ruleCase, cat Category) []Flag {
	t.Helper()
	var out []Flag
	for _, fl := range c.Check(rc.text, rc.kind) {
		if fl.Category == cat && fl.Severity == SeverityWarning {
			out = append(out, fl)
		}
	}
	return out
}

func TestRules(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cat      Category
		positive []ruleCase
		negative []ruleCase
	}{
		{
			cat: CategoryWhyQuestion,
			positive: []ruleCase{
				q("Why did you restart the database?", "Why"),
				q("why was the failover manual", "why"),
				q("Can you tell me why you paged the DBA?", "why"),
				q("You rolled back first — why?", "why"),
				q("So, why not wait for the canary?", "why"),
				n("Open question: why did the retry budget not kick in?", "why"),
				q("After the page, why did you stay on the bridge alone?", "why"),
			},
			negative: []ruleCase{
				q("How did you figure out why the consumer lag kept growing?"),
				q("What helped you see why the handshake failed?"),
				n("Nobody could say why the replica fell behind."),
				q(`She asked "why is this paging me?" — what happened next?`),
				q("How did the Five Whys worksheet shape the review?"),
				q("Who at Why Not Ltd handled the DNS delegation?"),
				q("What's the why behind the new alert?"),
			},
		},
		{
			cat: CategoryCounterfactual,
			positive: []ruleCase{
				n("The on-call should have paged the DBA.", "should have paged"),
				n("She should've checked the replica lag.", "should've checked"),
				n("Priya could have rolled back earlier.", "could have rolled"),
				f("A canary would have caught the leak.", "would have caught"),
				f("This could have been avoided.", "could have been avoided"),
				n("Marco failed to follow the checklist.", "failed to"),
				f("There was a failure to follow the change process.", "failure to"),
				n("If only we had rotated the key.", "If only"),
				n("If the engineer had read the runbook, it would have gone fine.", "If the engineer had"),
				n("Had the on-call looked at the queue, they would have seen it.", "Had the on-call looked"),
				n("He didn't test the migration.", "didn't test"),
				n("She did not verify the backup.", "did not verify"),
				n("They never checked the cron output.", "never checked"),
				n("Jonas forgot to remove the debug flag.", "forgot to"),
				n("The on-call missed the first three pages.", "missed the first three pages"),
				q("Could you have caught it in staging?", "Could you have caught"),
				n("The change should have been reviewed by the storage team.", "should have been reviewed"),
			},
			negative: []ruleCase{
				n("The cache should expire after five minutes."),
				n("The job should have run at 02:00 according to the cron spec."),
				n("The alert should have fired at 80%, but the threshold was 95%."),
				q("How much worse could this have been?"),
				q("What could have happened if the standby was also down?"),
				q("What would have helped you at that moment?"),
				n("We failed over to the standby at 14:20."),
				n("The deploy failed to complete because the artifact store was down."),
				n("The alert didn't fire because the threshold was per host."),
				n("She didn't know the flag controlled the importer."),
				n("The on-call didn't have access to the console."),
				f("If the standby had not been warm, recovery would have taken hours."),
				n("The backup must have been restarted by the scheduler."),
			},
		},
		{
			cat: CategoryHindsight,
			positive: []ruleCase{
				n("It was obvious that the disk was filling up.", "obvious"),
				n("Obviously the migration needed a lock timeout.", "Obviously"),
				n("Clearly nobody read the release notes.", "Clearly"),
				n("The runbook clearly says to drain first.", "clearly"),
				f("In hindsight, the retry storm was predictable.", "In hindsight"),
				f("In retrospect the signs were all there.", "In retrospect"),
				n("It was clear that the replica was behind.", "It was clear"),
				f("The team should have known the certificate was expiring.", "should have known"),
				n("Anyone could have seen this coming.", "could have seen this coming"),
				f("The outage was inevitable.", "inevitable"),
				n("It is plain to see from the logs.", "plain to see"),
			},
			negative: []ruleCase{
				n("It wasn't obvious which alert was real."),
				n("Nothing in the logs looked obvious at first."),
				n("The alert text explains clearly what to check."),
				n("Label the dashboards clearly."),
				n("It was not clear who owned the zone."),
				n("We cleared the cache at 10:42."),
				q("How clear was the alert text when you read it?"),
				n("We talked about hindsight bias in the review."),
			},
		},
		{
			cat: CategoryBlameOnPerson,
			positive: []ruleCase{
				n("Priya broke prod.", "Priya broke"),
				n("Sam deleted the table.", "Sam deleted"),
				n("Zoë took down the payments API.", "Zoë took down"),
				n("Miguel took the cluster down.", "Miguel took"),
				n("The intern dropped the analytics table.", "The intern dropped"),
				n("Someone pushed a broken config.", "Someone pushed"),
				n("Chen's deploy brought down search.", "Chen's deploy brought down"),
				n("The database was corrupted by Leo's manual edit.", "by Leo's"),
				n("The table was deleted by Sam.", "by Sam"),
				n("It was Raj's fault.", "Raj's fault"),
				n("She dropped the index mid-batch.", "She dropped"),
			},
			negative: []ruleCase{
				n("The deploy broke prod."),
				n("Priya rolled back the deploy."),
				n("Sam noticed the table was missing."),
				n("Miguel dropped off the call."),
				n("The team dropped the ball on renewals."),
				n("Jenkins deleted the old artifacts."),
				n("Terraform deleted the old load balancer."),
				n("The primary crashed after the query."),
				n("We broke prod on Tuesday and fixed it by noon."),
				n("After Priya's deploy, error rates rose."),
			},
		},
		{
			cat: CategoryHumanError,
			positive: []ruleCase{
				f("The incident was caused by human error.", "human error"),
				n("Operator error made it worse.", "Operator error"),
				n("A careless typo sent traffic to the old balancer.", "careless"),
				n("Sam made a mistake in the config.", "mistake"),
				n("The script was sloppy.", "sloppy"),
				n("The config was mistakenly pushed.", "mistakenly"),
				n("Ines fat-fingered the CIDR range.", "fat-fingered"),
				f("The team dropped the ball on renewals.", "dropped the ball"),
				n("They were not paying attention.", "paying attention"),
				f("People need to be more careful.", "more careful"),
				f("This was an oversight.", "oversight"),
				f("Complacency let this slip.", "Complacency"),
			},
			negative: []ruleCase{
				n("The certificate lapsed on Saturday."),
				n("The client returned a user-facing error."),
				n("The error budget is nearly spent."),
				f("This was not human error."),
				f("We found no evidence that this was a mistake by any one person."),
			},
		},
		{
			cat: CategoryRootCause,
			positive: []ruleCase{
				f("The root cause was an expired certificate.", "The root cause"),
				f("Root cause: the pool was capped.", "Root cause"),
				q("What was the root cause?", "the root cause"),
				f("The primary cause was a missing timeout.", "The primary cause"),
				f("The cause of the incident was a race.", "The cause"),
				n("The RCA is due Friday.", "RCA"),
				f("The expired token caused the outage.", "caused the outage"),
			},
			negative: []ruleCase{
				f("There is no single root cause."),
				f("The trigger was a config push; several contributors made it spread."),
				q("What caused the latency to spike?"),
				n("This can cause the consumer to stall."),
				f("Certificate expiry had never caused an incident before."),
			},
		},
		{
			cat: CategoryMinimizing,
			positive: []ruleCase{
				n("It was just a typo.", "just"),
				n("Just restart the consumer.", "Just"),
				n("You simply clear the lock.", "simply"),
				n("It was merely a one-line change.", "merely"),
				n("It only takes five minutes to check.", "only"),
				n("It was only a small config change.", "only"),
				n("All they had to do was flip the flag.", "All they had to do"),
				n("It's a quick fix.", "quick"),
				f("The outage was trivial to avoid.", "trivial"),
				n("Obviously easy to spot.", "Obviously easy"),
				n("It's nothing more than a renamed variable.", "nothing more than"),
				q("Can't you just add a replica?", "just"),
			},
			negative: []ruleCase{
				n("Only two regions were affected."),
				n("Only Aisha knew how the slots were configured."),
				n("The alert fired just after 03:00."),
				n("We keep a spare certificate just in case."),
				n("We use just-in-time access."),
				n("She had just joined the team."),
				n("The rollback only started after the second approval."),
				n("Not only the API but also the workers were affected."),
				n("The dashboard made it easy to compare clusters."),
				n("The health check only probed the HTTP port."),
				n("It wasn't easy to see which alert mattered."),
			},
		},
		{
			cat: CategoryJudgmental,
			positive: []ruleCase{
				f("Poor communication slowed the recovery.", "Poor"),
				f("There was a lack of testing.", "a lack of"),
				n("Disabling the alert was the wrong decision.", "the wrong decision"),
				n("Running it at noon was a bad call.", "bad call"),
				n("He did the failover wrong.", "wrong"),
				n("The on-call ignored the warnings.", "ignored"),
				n("The alerts were ignored all night.", "ignored"),
				f("The response was inadequate.", "inadequate"),
				f("Deploying without tests was irresponsible.", "irresponsible"),
				q("Whose fault was the outage?", "Whose fault"),
				q("Who is to blame?", "to blame"),
				n("They were wrong to skip the soak.", "were wrong to"),
			},
			negative: []ruleCase{
				n("The load balancer served the wrong certificate."),
				n("Requests went to the wrong region."),
				q("What went wrong first, from where you were?"),
				f("The lack of sleep made the third night harder."),
				n("The signal was poor on the train."),
				n("The client ignored the TTL."),
				f("Nobody is to blame here; this was not about fault."),
			},
		},
		{
			cat: CategoryLeadingQuestion,
			positive: []ruleCase{
				q("Didn't you see the disk alert?", "Didn't you"),
				q("Did you not check the replica?", "Did you not"),
				q("Don't you think the change was too large?", "Don't you"),
				q("You knew the flag was on, didn't you?", "didn't you"),
				q("You tested it in staging, right?", "right"),
				q("Was it a mistake to restart the primary?", "Was it a mistake"),
				q("Would you agree the alert was noisy?", "Would you agree"),
				q("Surely you noticed the error rate?", "Surely"),
				q("Was it because you were tired?", "Was it because"),
				q("Why didn't you escalate?", "didn't you"),
			},
			negative: []ruleCase{
				q("Did the rollback finish before the second page?"),
				q("Do you remember what the alert said?"),
				q("What would you say to a new on-call?"),
				q("Is there anyone else we should talk to?"),
				q("Why weren't the owners in the channel?"),
				n("The runbook wasn't updated after the migration."),
			},
		},
	}
	for _, tc := range tests {
		t.Run(string(tc.cat), func(t *testing.T) {
			for _, rc := range tc.positive {
				ws := warnings(t, c, rc, tc.cat)
				if len(ws) == 0 {
					t.Errorf("%q (%s): no %s warning; got %+v", rc.text, rc.kind, tc.cat, c.Check(rc.text, rc.kind))
					continue
				}
				if rc.span == "" {
					continue
				}
				found := false
				for _, w := range ws {
					if strings.Contains(w.Text, rc.span) || strings.Contains(rc.span, w.Text) {
						found = true
					}
				}
				if !found {
					t.Errorf("%q: %s warning covers %q, want %q", rc.text, tc.cat, ws[0].Text, rc.span)
				}
			}
			for _, rc := range tc.negative {
				if ws := warnings(t, c, rc, tc.cat); len(ws) > 0 {
					t.Errorf("%q (%s): unexpected %s warning on %q (confidence %.2f)", rc.text, rc.kind, tc.cat, ws[0].Text, ws[0].Confidence)
				}
			}
		})
	}
}

// TestInnocentUses covers the judgement calls of the issue: statements
// that look like a category but should be info or nothing.
func TestInnocentUses(t *testing.T) {
	c, _ := New()
	tests := []struct {
		text string
		// want is the category that may appear as info; "" means no flag at all.
		want Category
	}{
		{"The cache should expire after five minutes.", ""},
		{"The job should have run at 02:00 according to the cron spec.", CategoryCounterfactual},
		{"Only two regions were affected.", CategoryMinimizing},
		{"We use just-in-time access for production.", ""},
		{"The wrong certificate was served.", CategoryJudgmental},
		{"We failed over to the standby.", ""},
		{"The deploy broke prod.", ""},
	}
	for _, tt := range tests {
		flags := c.Check(tt.text, KindNote)
		if tt.want == "" {
			if len(flags) != 0 {
				t.Errorf("%q: want no flags, got %+v", tt.text, flags)
			}
			continue
		}
		if len(flags) != 1 || flags[0].Category != tt.want || flags[0].Severity != SeverityInfo || flags[0].Confidence >= 0.5 {
			t.Errorf("%q: want one low-confidence %s info, got %+v", tt.text, tt.want, flags)
		}
	}
}

func TestQuotedTextIsInfo(t *testing.T) {
	c, _ := New()
	tests := []struct {
		text  string
		kind  Kind
		quote string // text that must be flagged as info
	}{
		{`She said "just restart it" at 02:14.`, KindNote, "just"},
		{`His words: “I should have rolled back immediately.”`, KindNote, "should have rolled"},
		{`The ticket title was 'Root cause: human error'.`, KindNote, "human error"},
		{`He called it ‘obviously a DNS thing’ on the bridge.`, KindNote, "obviously"},
		{`She asked "why is this paging me?" and opened the laptop.`, KindNote, ""},
		{"Honestly it was just a stupid mistake on my side.", KindQuote, "mistake"},
		{"Why would I page anyone at 3am for a yellow graph?", KindQuote, "Why"},
	}
	for _, tt := range tests {
		flags := c.Check(tt.text, tt.kind)
		found := tt.quote == ""
		for _, fl := range flags {
			if fl.Severity != SeverityInfo {
				t.Errorf("%q: flag %q is %s, want info", tt.text, fl.Text, fl.Severity)
			}
			if !strings.Contains(fl.Explanation, "own words") {
				t.Errorf("%q: explanation %q should say these are a participant's own words", tt.text, fl.Explanation)
			}
			if strings.Contains(fl.Text, tt.quote) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no info flag on %q; got %+v", tt.text, tt.quote, flags)
		}
	}

	// Words outside the quotation are still the author's.
	flags := c.Check(`Anna called it "a blip", but the on-call clearly missed the first alert.`, KindNote)
	var warn []string
	for _, fl := range flags {
		if fl.Severity == SeverityWarning {
			warn = append(warn, fl.Text)
		}
	}
	if len(warn) != 2 {
		t.Errorf("want warnings on %q and the missed alert outside the quote, got %q", "clearly", warn)
	}

	// An unclosed quote (someone still typing) does not hide warnings.
	flags = c.Check(`Runbook step 3: "just restart it`, KindNote)
	if len(flags) != 1 || flags[0].Severity != SeverityWarning {
		t.Errorf("unclosed quote: want a warning, got %+v", flags)
	}

	// Apostrophes are not quotation marks.
	flags = c.Check("It wasn't Sam's call; we just didn't know.", KindNote)
	for _, fl := range flags {
		if fl.Category == CategoryMinimizing && fl.Severity != SeverityWarning {
			t.Errorf("apostrophes read as quotes: %+v", fl)
		}
	}
}

func TestReportedSpeechIsInfo(t *testing.T) {
	c, _ := New()
	for _, text := range []string{
		"She said she felt she should have caught it sooner.",
		"Chen said that in hindsight the migration should have waited.",
		"We should have rolled back sooner, Priya said.",
	} {
		flags := c.Check(text, KindNote)
		if len(flags) == 0 {
			t.Errorf("%q: want info flags", text)
		}
		for _, fl := range flags {
			if fl.Severity != SeverityInfo {
				t.Errorf("%q: %q is %s, want info", text, fl.Text, fl.Severity)
			}
		}
	}
	// A question is the author's own framing, even with "think" in it.
	if ws := warnings(t, c, q("Do you think human error played a part?"), CategoryHumanError); len(ws) != 1 {
		t.Errorf("question with 'think': want a human_error warning")
	}
}

func TestSuggestionRewrites(t *testing.T) {
	c, _ := New()
	tests := []struct {
		kind Kind
		text string
		cat  Category
		want string
	}{
		{KindQuestion, "Why did you restart the database?", CategoryWhyQuestion, "What led up to restarting the database?"},
		{KindQuestion, "Why did you restart the database?", CategoryWhyQuestion, "How did restarting the database come up as an option?"},
		{KindQuestion, "Why didn't you escalate earlier?", CategoryWhyQuestion, "What options did you see at that point, and how did escalating earlier look from there?"},
		{KindQuestion, "Why was the deploy paused for an hour?", CategoryWhyQuestion, "What led to the deploy being paused for an hour?"},
		{KindQuestion, "You drained the node first — why?", CategoryWhyQuestion, "What led up to draining the node first?"},
		{KindQuestion, "Can you explain why you disabled the health check?", CategoryWhyQuestion, "What led up to disabling the health check?"},
		{KindQuestion, "Was it a mistake to skip the canary stage?", CategoryLeadingQuestion, "How did skipping the canary stage look at the time, and what did it lead to?"},
		{KindNote, "The fix was just a one-line change.", CategoryMinimizing, "The fix was a one-line change."},
		{KindNote, "It was an easy fix.", CategoryMinimizing, "It was a fix."},
		{KindFinding, "The root cause was an expired certificate.", CategoryRootCause, "One contributor was an expired certificate."},
		{KindFinding, "The primary cause of the incident was a race.", CategoryRootCause, "One contributor to the incident was a race."},
		{KindFinding, "The expired token caused the outage.", CategoryRootCause, "The expired token contributed to the outage."},
		{KindNote, "Sam deleted the users table during the migration.", CategoryBlameOnPerson, "The users table was deleted during the migration."},
		{KindNote, "Priya took down the payments API when she rotated the keys.", CategoryBlameOnPerson, "The payments API went down when she rotated the keys."},
		{KindNote, "Kenji's release broke checkout.", CategoryBlameOnPerson, "The release broke checkout."},
		{KindNote, "A careless typo sent traffic to the old balancer.", CategoryHumanError, "A typo sent traffic to the old balancer."},
		{KindFinding, "In hindsight, the retry storm was predictable.", CategoryHindsight, "The retry storm was predictable."},
		{KindNote, "Lars didn't check whether the migration was reversible.", CategoryCounterfactual, "What was Lars doing at the time, and what made checking whether the migration was reversible hard or unlikely?"},
		{KindFinding, "There was a lack of testing around the retry logic.", CategoryJudgmental, "There was no testing around the retry logic."},
	}
	for _, tt := range tests {
		var got []string
		for _, fl := range c.Check(tt.text, tt.kind) {
			if fl.Category == tt.cat {
				got = append(got, fl.Suggestions...)
			}
		}
		ok := false
		for _, s := range got {
			if s == tt.want {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%q: want suggestion %q among %q", tt.text, tt.want, got)
		}
	}
}

package langcheck

import (
	"strings"
	"testing"
)

// note2000 is a realistic long note of about 2,000 words: mostly neutral
// description with the occasional flagged phrase, as facilitators write.
var note2000 = func() string {
	paras := []string{
		"Aisha joined the bridge at 02:31 and took over as incident commander. The replica lag graph showed 40 seconds at 14:05 and 9 minutes at 14:20, and the queue consumer restarted four times between 09:00 and 09:40.",
		"She said the alert text was confusing, and that she \"just wanted the paging to stop\" for a moment so she could think. The runbook for the failover was last edited in 2021 and did not mention the new replica set.",
		"Support saw the first customer tickets about ten minutes before the page. The on-call should have paged the DBA straight away, according to the old process, but nobody on the call knew who the DBA on rotation was.",
		"Why did the retry budget not kick in? Two people on the team know how the sharding map is generated, and only one of them was awake. It was obvious from the graphs that the disk was filling up, but the disk dashboard was on a different screen.",
		"Kenji rolled back the release and the error rate dropped within two minutes. The pager escalated to the secondary after five minutes with no acknowledgement; Zoë — who was new to the team — picked it up from her phone in a café.",
		"The deploy pipeline showed green for all stages, including the smoke tests. The rate limiter kept the database from being overwhelmed during the retry storm, which is probably why the outage stayed at 48 minutes rather than hours.",
	}
	var b strings.Builder
	for b.Len() < 12000 {
		for _, p := range paras {
			b.WriteString(p)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}()

func BenchmarkCheck2000Words(b *testing.B) {
	c, err := New()
	if err != nil {
		b.Fatal(err)
	}
	if w := len(strings.Fields(note2000)); w < 1900 || w > 2300 {
		b.Fatalf("note has %d words, want about 2000", w)
	}
	b.SetBytes(int64(len(note2000)))
	b.ReportAllocs()
	for b.Loop() {
		c.Check(note2000, KindNote)
	}
}

func BenchmarkCheckQuestion(b *testing.B) {
	c, _ := New()
	b.ReportAllocs()
	for b.Loop() {
		c.Check("Why didn't you just roll back as soon as the error rate rose?", KindQuestion)
	}
}

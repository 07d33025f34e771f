package guides

import (
	"slices"
)

// diffVersions compares two versions of one guide. Questions are matched by
// their stable id, so a reworded question is "changed", not removed and
// added.
func diffVersions(from, to GuideVersion) Diff {
	d := Diff{
		GuideID: to.GuideID, From: from.Version, To: to.Version,
		Title:            changed(from.Title, to.Title),
		Description:      changed(from.Description, to.Description),
		Opener:           changed(from.Content.Opener, to.Content.Opener),
		Closer:           changed(from.Content.Closer, to.Content.Closer),
		SuggestedMinutes: changed(from.Content.SuggestedMinutes, to.Content.SuggestedMinutes),
		Questions: QuestionDiff{
			Added: []QuestionAt{}, Removed: []QuestionAt{}, Changed: []QuestionChange{}, Moved: []QuestionMove{},
		},
	}
	oldPos := make(map[string]int, len(from.Content.Questions))
	for i, q := range from.Content.Questions {
		oldPos[q.ID] = i
	}
	newPos := make(map[string]int, len(to.Content.Questions))
	for i, q := range to.Content.Questions {
		newPos[q.ID] = i
	}
	for i, q := range from.Content.Questions {
		if _, ok := newPos[q.ID]; !ok {
			d.Questions.Removed = append(d.Questions.Removed, QuestionAt{Position: i + 1, Question: q})
		}
	}
	// kept is the common questions in their new order, as old positions.
	var kept []int
	var keptIDs []string
	for i, q := range to.Content.Questions {
		j, ok := oldPos[q.ID]
		if !ok {
			d.Questions.Added = append(d.Questions.Added, QuestionAt{Position: i + 1, Question: q})
			continue
		}
		kept = append(kept, j)
		keptIDs = append(keptIDs, q.ID)
		old := from.Content.Questions[j]
		var fields []string
		if old.Text != q.Text {
			fields = append(fields, "text")
		}
		if !slices.Equal(old.Probes, q.Probes) {
			fields = append(fields, "probes")
		}
		if !slices.Equal(old.Sections, q.Sections) {
			fields = append(fields, "sections")
		}
		if len(fields) > 0 {
			d.Questions.Changed = append(d.Questions.Changed, QuestionChange{ID: q.ID, Fields: fields, From: old, To: q})
		}
	}
	// The questions that keep their relative order are the longest
	// increasing run of old positions; every other common question moved.
	// Measuring this way, one question dragged to the top is one move, not
	// a shift of everything below it.
	stay := longestIncreasing(kept)
	for k, id := range keptIDs {
		if !stay[k] {
			d.Questions.Moved = append(d.Questions.Moved, QuestionMove{ID: id, From: oldPos[id] + 1, To: newPos[id] + 1})
		}
	}
	return d
}

func changed[T comparable](a, b T) *Change[T] {
	if a == b {
		return nil
	}
	return &Change[T]{From: a, To: b}
}

// longestIncreasing marks the elements of xs (distinct ints) that belong to
// one longest strictly increasing subsequence. O(n log n) patience method.
func longestIncreasing(xs []int) []bool {
	keep := make([]bool, len(xs))
	if len(xs) == 0 {
		return keep
	}
	tails := []int{}             // indexes into xs of the smallest tail of each length
	prev := make([]int, len(xs)) // predecessor index in the best run ending here
	for i, x := range xs {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if xs[tails[mid]] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo > 0 {
			prev[i] = tails[lo-1]
		} else {
			prev[i] = -1
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		keep[i] = true
	}
	return keep
}

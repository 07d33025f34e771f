// Package guides owns Debrief's question guides: the opener, questions,
// probes and closer a facilitator works from in a chat or a learning-team
// session.
//
// A guide is a sequence of immutable versions. Built-in guides ship with
// Debrief as JSON files (builtin/*.json), are installed by EnsureBuiltins and
// can only be copied; custom guides are copies or new guides that every save
// moves to a new version, so what a held chat used stays as it was — a chat
// pins (guide id, version) and reads it back with GetVersion.
//
// Guides are read by every signed-in role; admins and facilitators create
// and change them. Rendering a guide for an event reads the event through the
// events service, so a caller only sees placeholders filled from events they
// may see.
package guides

import "time"

// Kind is what sort of conversation a guide is for (method.md, "Guide
// kinds").
type Kind string

// Guide kinds. KindChangeAddOn is the one add-on kind: its questions are
// appended to a base guide rather than used on their own.
const (
	KindResponderChat    Kind = "responder_chat"
	KindNonResponderChat Kind = "non_responder_chat"
	KindLearnSession     Kind = "learn_session"
	KindImproveSession   Kind = "improve_session"
	KindChangeAddOn      Kind = "change_addon"
	KindGameDay          Kind = "game_day"
)

// Kinds lists every guide kind in the order of method.md.
func Kinds() []Kind {
	return []Kind{KindResponderChat, KindNonResponderChat, KindLearnSession, KindImproveSession,
		KindChangeAddOn, KindGameDay}
}

// IsAddOn reports whether guides of kind k are add-ons.
func (k Kind) IsAddOn() bool { return k == KindChangeAddOn }

// Label is the kind as people read it.
func (k Kind) Label() string {
	switch k {
	case KindResponderChat:
		return "Responder chat"
	case KindNonResponderChat:
		return "Non-responder / near-miss chat"
	case KindLearnSession:
		return "Learning team: learn session"
	case KindImproveSession:
		return "Learning team: improve session"
	case KindChangeAddOn:
		return "Change / deployment add-on"
	case KindGameDay:
		return "Pre-mortem / game day"
	}
	return string(k)
}

// Section is a finding section code (method.md, "Finding sections"). A
// question lists the sections its answers usually feed, so notes taken
// against it can be tagged in one click.
type Section string

// Section codes.
const (
	SectionNarrative    Section = "NAR"
	SectionContributors Section = "CON"
	SectionMitigators   Section = "MIT"
	SectionRisks        Section = "RSK"
	SectionDifficulties Section = "DIF"
	SectionExpertise    Section = "EXP"
	SectionPressures    Section = "PRS"
	SectionWellbeing    Section = "WEL"
	SectionOpenQuestion Section = "OPQ"
	SectionActions      Section = "ACT"
	SectionArtifacts    Section = "ART"
)

// Sections lists every section code in the order of method.md.
func Sections() []Section {
	return []Section{SectionNarrative, SectionContributors, SectionMitigators, SectionRisks,
		SectionDifficulties, SectionExpertise, SectionPressures, SectionWellbeing, SectionOpenQuestion,
		SectionActions, SectionArtifacts}
}

// Name is the section's title.
func (s Section) Name() string {
	switch s {
	case SectionNarrative:
		return "Narrative & timelines"
	case SectionContributors:
		return "Contributors / enablers"
	case SectionMitigators:
		return "Mitigators"
	case SectionRisks:
		return "Risks"
	case SectionDifficulties:
		return "Difficulties in handling"
	case SectionExpertise:
		return "Expertise & normal work"
	case SectionPressures:
		return "Pressures & goal conflicts"
	case SectionWellbeing:
		return "People & wellbeing"
	case SectionOpenQuestion:
		return "Open questions"
	case SectionActions:
		return "Actionable outcomes"
	case SectionArtifacts:
		return "Artifacts"
	}
	return string(s)
}

// Question is one question of a guide. ID is stable across versions, so
// notes and diffs can follow a question that was reworded or moved.
type Question struct {
	ID       string    `json:"id"`
	Text     string    `json:"text"`
	Probes   []string  `json:"probes"`
	Sections []Section `json:"sections"`
}

// Content is what a guide version says. Texts may hold placeholders such as
// {{event.title}} (see Placeholders), filled in when a guide is rendered for
// an event. Opener and closer may have paragraphs separated by a blank line.
type Content struct {
	Opener           string     `json:"opener"`
	Questions        []Question `json:"questions"`
	Closer           string     `json:"closer"`
	SuggestedMinutes int        `json:"suggested_minutes"`
}

// VersionRef names one version of one guide.
type VersionRef struct {
	GuideID string `json:"guide_id"`
	Version int    `json:"version"`
}

// Guide is a guide as lists show it. Title and description are those of the
// current version. Times are UTC.
type Guide struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Kind        Kind   `json:"kind"`
	Description string `json:"description"`
	// Builtin guides ship with Debrief and are read-only.
	Builtin bool `json:"builtin"`
	// AddOn guides extend a base guide (kind change_addon).
	AddOn          bool `json:"add_on"`
	Archived       bool `json:"archived"`
	CurrentVersion int  `json:"current_version"`
	// QuestionCount and SuggestedMinutes describe the current version.
	QuestionCount    int         `json:"question_count"`
	SuggestedMinutes int         `json:"suggested_minutes"`
	CopiedFrom       *VersionRef `json:"copied_from"`
	CreatedBy        *string     `json:"created_by"`
	CreatedAt        time.Time   `json:"created_at"`
	UpdatedAt        time.Time   `json:"updated_at"`
}

// GuideDetail is a guide with the content of its current version.
type GuideDetail struct {
	Guide
	Content Content `json:"content"`
}

// GuideVersion is one immutable version of a guide.
type GuideVersion struct {
	GuideID     string    `json:"guide_id"`
	Version     int       `json:"version"`
	Title       string    `json:"title"`
	Kind        Kind      `json:"kind"`
	Description string    `json:"description"`
	Content     Content   `json:"content"`
	Note        string    `json:"note"`
	CreatedBy   *string   `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// VersionSummary is a version as the history list shows it.
type VersionSummary struct {
	Version          int       `json:"version"`
	Title            string    `json:"title"`
	Note             string    `json:"note"`
	QuestionCount    int       `json:"question_count"`
	SuggestedMinutes int       `json:"suggested_minutes"`
	CreatedBy        *string   `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
}

// GuideInput creates a guide from scratch.
type GuideInput struct {
	Title       string  `json:"title"`
	Kind        Kind    `json:"kind"`
	Description string  `json:"description"`
	Content     Content `json:"content"`
	// Note describes the first version, e.g. "drafted for the payments team".
	Note string `json:"note,omitempty"`
}

// SaveInput is a full new version of a guide. Questions without an id are
// new and get one; questions keep their ids when reordered or edited.
type SaveInput struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Content     Content `json:"content"`
	Note        string  `json:"note,omitempty"`
	// BaseVersion, when set, is the version the editor started from; if
	// someone saved a newer one since, the save is refused as a conflict
	// instead of silently overwriting their work.
	BaseVersion int `json:"base_version,omitempty"`
}

// CopyInput makes a custom guide from a version of another guide. Zero
// values mean "the current version" and "Copy of <title>".
type CopyInput struct {
	Title   string `json:"title,omitempty"`
	Version int    `json:"version,omitempty"`
}

// ArchivedFilter selects guides by their archived flag.
type ArchivedFilter string

// Archived filter values; the zero value means ArchivedExclude.
const (
	ArchivedExclude ArchivedFilter = "false"
	ArchivedOnly    ArchivedFilter = "true"
	ArchivedAll     ArchivedFilter = "all"
)

// ListFilter narrows a guide list. Empty fields do not filter. It arrives
// as query parameters of the same names: kind, builtin, add_on, archived, q.
type ListFilter struct {
	Kind Kind
	// Builtin and AddOn are "true", "false" or empty.
	Builtin  string
	AddOn    string
	Archived ArchivedFilter
	// Q matches a substring of the title or description, ignoring case.
	Q string
}

// GuideList is one page of guides: built-ins first, then by title.
type GuideList struct {
	Items      []Guide `json:"items"`
	NextCursor string  `json:"next_cursor"`
}

// Change is a value that differs between two versions.
type Change[T any] struct {
	From T `json:"from"`
	To   T `json:"to"`
}

// QuestionAt is a question with its 1-based position in a version.
type QuestionAt struct {
	Position int      `json:"position"`
	Question Question `json:"question"`
}

// QuestionChange is a question present in both versions whose wording,
// probes or sections differ. Fields lists which: text, probes, sections.
type QuestionChange struct {
	ID     string   `json:"id"`
	Fields []string `json:"fields"`
	From   Question `json:"from"`
	To     Question `json:"to"`
}

// QuestionMove is a question whose place relative to the others changed.
// Questions that only shift because others were added or removed are not
// moves.
type QuestionMove struct {
	ID   string `json:"id"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

// QuestionDiff lists what happened to questions between two versions.
type QuestionDiff struct {
	Added   []QuestionAt     `json:"added"`
	Removed []QuestionAt     `json:"removed"`
	Changed []QuestionChange `json:"changed"`
	Moved   []QuestionMove   `json:"moved"`
}

// Diff compares two versions of one guide. A nil field did not change.
type Diff struct {
	GuideID          string          `json:"guide_id"`
	From             int             `json:"from"`
	To               int             `json:"to"`
	Title            *Change[string] `json:"title"`
	Description      *Change[string] `json:"description"`
	Opener           *Change[string] `json:"opener"`
	Closer           *Change[string] `json:"closer"`
	SuggestedMinutes *Change[int]    `json:"suggested_minutes"`
	Questions        QuestionDiff    `json:"questions"`
}

// RenderInput asks for a guide ready to use: a base guide (at a version, or
// its current one) with add-ons appended, placeholders filled from an event
// and the person being talked with. Without an event every placeholder gets
// its readable fallback.
type RenderInput struct {
	GuideID  string   `json:"guide_id"`
	Version  int      `json:"version,omitempty"`
	AddOnIDs []string `json:"add_on_ids,omitempty"`
	EventID  string   `json:"event_id,omitempty"`
	PersonID string   `json:"person_id,omitempty"`
	// Timezone is the IANA zone times are shown in; by default the
	// person's zone, else UTC.
	Timezone string `json:"timezone,omitempty"`
}

// RenderedQuestion is a question as a facilitator reads it. Number counts
// from 1 across all parts.
type RenderedQuestion struct {
	ID       string    `json:"id"`
	Number   int       `json:"number"`
	Text     string    `json:"text"`
	Probes   []string  `json:"probes"`
	Sections []Section `json:"sections"`
}

// Part is the questions of one guide inside a rendered guide: the base
// guide first, then one part per add-on with the add-on's opener as its
// lead-in.
type Part struct {
	GuideID   string             `json:"guide_id"`
	Version   int                `json:"version"`
	Title     string             `json:"title"`
	Kind      Kind               `json:"kind"`
	Intro     string             `json:"intro"`
	Questions []RenderedQuestion `json:"questions"`
}

// EventRef is the event a guide was rendered for.
type EventRef struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Kind      string    `json:"kind"`
	StartedAt time.Time `json:"started_at"`
}

// PersonRef is the person a guide was rendered for.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Rendered is a guide composed with its add-ons and, when rendered for an
// event, with placeholders filled. Guide and AddOns are the exact versions
// used, for a chat to pin.
type Rendered struct {
	Guide            VersionRef   `json:"guide"`
	AddOns           []VersionRef `json:"add_ons"`
	Title            string       `json:"title"`
	Kind             Kind         `json:"kind"`
	Opener           string       `json:"opener"`
	Parts            []Part       `json:"parts"`
	Closer           string       `json:"closer"`
	SuggestedMinutes int          `json:"suggested_minutes"`
	Event            *EventRef    `json:"event"`
	Person           *PersonRef   `json:"person"`
	Timezone         string       `json:"timezone"`
	// Missing lists the placeholders that had no data and got a fallback
	// text, e.g. "person.name" or "timeline.3".
	Missing []string `json:"missing"`
}

// Format is an import and export format.
type Format string

// Formats.
const (
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

// FormatMarker identifies Debrief's guide documents (JSON and Markdown).
const FormatMarker = "debrief-guide/1"

// Document is a guide as exported to and imported from JSON: one flat
// object marked with "format": "debrief-guide/1". Source says where an
// export came from and is ignored on import.
type Document struct {
	Format           string      `json:"format"`
	Title            string      `json:"title"`
	Kind             Kind        `json:"kind"`
	Description      string      `json:"description"`
	SuggestedMinutes int         `json:"suggested_minutes"`
	Opener           string      `json:"opener"`
	Questions        []Question  `json:"questions"`
	Closer           string      `json:"closer"`
	Source           *SourceInfo `json:"source,omitempty"`
}

// SourceInfo records which guide version a document was exported from.
type SourceInfo struct {
	GuideID string `json:"guide_id"`
	Slug    string `json:"slug"`
	Version int    `json:"version"`
	Builtin bool   `json:"builtin"`
}

// Export is a guide serialized for download.
type Export struct {
	Filename    string
	ContentType string
	Body        []byte
}

package speech

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Category is the kind of a forbidden expression. The JSON form is the English code; Name gives
// the Chinese label shown to people.
type Category string

// The ten categories of forbidden expressions (服务禁语).
const (
	Uncivil      Category = "uncivil"      // 不文明
	Vague        Category = "vague"        // 模糊
	Jargon       Category = "jargon"       // 专业术语
	Aggressive   Category = "aggressive"   // 攻击性
	Imperative   Category = "imperative"   // 命令式
	Negative     Category = "negative"     // 否定式
	BuckPassing  Category = "buck_passing" // 推诿
	Colloquial   Category = "colloquial"   // 口语化
	Overpromise  Category = "overpromise"  // 过度承诺
	VagueTime    Category = "vague_time"   // 模糊时间
	categoryNone Category = ""
)

var categoryNames = map[Category]string{
	Uncivil: "不文明", Vague: "模糊", Jargon: "专业术语", Aggressive: "攻击性", Imperative: "命令式",
	Negative: "否定式", BuckPassing: "推诿", Colloquial: "口语化", Overpromise: "过度承诺", VagueTime: "模糊时间",
}

// Categories lists the categories in their canonical order.
func Categories() []Category {
	return []Category{Uncivil, Vague, Jargon, Aggressive, Imperative, Negative, BuckPassing, Colloquial, Overpromise, VagueTime}
}

// Name is the Chinese label of the category, or the code itself when it is unknown.
func (c Category) Name() string {
	if n, ok := categoryNames[c]; ok {
		return n
	}
	return string(c)
}

// Valid reports whether c is one of the ten categories.
func (c Category) Valid() bool { _, ok := categoryNames[c]; return ok }

// ParseCategory accepts a code ("vague") or a Chinese label, Simplified or Traditional ("模糊").
func ParseCategory(s string) (Category, error) {
	s = strings.TrimSpace(s)
	if c := Category(strings.ToLower(s)); c.Valid() {
		return c, nil
	}
	folded := foldString(s)
	for c, n := range categoryNames {
		if folded == n {
			return c, nil
		}
	}
	return categoryNone, fmt.Errorf("unknown category %q (want one of %s)", s, categoryList())
}

func categoryList() string {
	var b strings.Builder
	for i, c := range Categories() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	return b.String()
}

// UnmarshalText makes imported files accept Chinese labels as well as codes. An unknown value is
// kept as it is, for Validate to report together with every other problem of the file.
func (c *Category) UnmarshalText(b []byte) error {
	v, err := ParseCategory(string(b))
	if err != nil {
		v = Category(b)
	}
	*c = v
	return nil
}

// Severity grades a forbidden expression: 1 low (轻微, e.g. a vague word), 2 medium (一般, e.g. a
// command or a vague time), 3 high (严重, rude, aggressive or refusing to help). In JSON it is the
// number; imports also accept "low", "medium", "high" and the Chinese names.
type Severity int

// Severity levels.
const (
	Low    Severity = 1
	Medium Severity = 2
	High   Severity = 3
)

// Name is the Chinese label of the level.
func (s Severity) Name() string {
	switch s {
	case Low:
		return "轻微"
	case Medium:
		return "一般"
	case High:
		return "严重"
	}
	return strconv.Itoa(int(s))
}

// Valid reports whether s is Low, Medium or High.
func (s Severity) Valid() bool { return s >= Low && s <= High }

// UnmarshalJSON accepts 1..3 or a level name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		*s = Severity(n)
		return nil
	}
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("severity must be 1, 2, 3 or low/medium/high, got %s", b)
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "1", "low", "轻微", "輕微":
		*s = Low
	case "2", "medium", "一般":
		*s = Medium
	case "3", "high", "严重", "嚴重":
		*s = High
	default:
		return fmt.Errorf("severity must be 1, 2, 3 or low/medium/high, got %q", name)
	}
	return nil
}

// Rule is one forbidden expression: its spellings, how bad it is and what to say instead.
type Rule struct {
	ID       string   `json:"id"`
	Category Category `json:"category"`
	// Words are variants of one expression ("我不知道", "我不晓得"). Traditional spellings need not
	// be listed: text is folded to Simplified before matching.
	Words      []string `json:"words"`
	Severity   Severity `json:"severity"`
	Suggestion string   `json:"suggestion"`
	// Exceptions are longer expressions that contain a word but are fine ("保证金" for "保证"):
	// a hit of this rule that lies inside one of them is not reported.
	Exceptions []string `json:"exceptions,omitempty"`

	// The fields below are optional and newer than format version 1's first files; a file
	// without them reads as before.

	// Patterns are further spellings with gaps, word classes and optional words, for instance
	// "不归…管" or "(我|我们)(也|实在)?不(太)?清楚"; see the package documentation for the syntax.
	Patterns []string `json:"patterns,omitempty"`
	// Match is "word" (the default: a word or pattern part must begin and end on word boundaries
	// of the text, so "工单" does not fire inside "施工单位") or "substring" (anywhere, as in
	// earlier versions: for slang the dictionary does not know as a word).
	Match string `json:"match,omitempty"`
	// NotAfter drops a hit when one of these words comes shortly before it in the same clause:
	// "您对政策不清楚" speaks of the citizen, "不能保证" is a candid refusal to promise.
	NotAfter []string `json:"not_after,omitempty"`
	// NotInQuestion drops a hit in a sentence that ends with a question mark: "这样可以不可以？"
	// asks the citizen, it does not refuse.
	NotInQuestion bool `json:"not_in_question,omitempty"`
}

// Match modes of a rule.
const (
	MatchWord      = "word"
	MatchSubstring = "substring"
)

// Counter steps a scenario's phrases are shown at on the counter terminal.
const (
	StepCall            = "call"             // calling the ticket: greeting
	StepServe           = "serve"            // while serving: documents, waiting, refusals
	StepMissingMaterial = "missing_material" // marking a missing or faulty material
	StepTransfer        = "transfer"         // sending the citizen to another window or department
	StepPause           = "pause"            // pausing the window, equipment failure
	StepPhone           = "phone"            // telephone, before or during service
	StepComplaint       = "complaint"        // receiving a complaint or suggestion
	StepFinish          = "finish"           // finishing: business done, farewell
)

var validSteps = map[string]bool{
	"": true, StepCall: true, StepServe: true, StepMissingMaterial: true, StepTransfer: true,
	StepPause: true, StepPhone: true, StepComplaint: true, StepFinish: true,
}

// ValidStep reports whether step is one of the counter steps (StepCall … StepFinish).
func ValidStep(step string) bool { return step != "" && validSteps[step] }

// Times of day a greeting can be tied to. Empty means any time.
const (
	Morning   = "morning"   // before 12:00
	Afternoon = "afternoon" // 12:00 to 18:00
	Evening   = "evening"   // from 18:00
)

// Scenario is a service situation with the standard phrases (规范用语) for it.
type Scenario struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Step      string   `json:"step,omitempty"`
	TimeOfDay string   `json:"time_of_day,omitempty"`
	Phrases   []string `json:"phrases"`
}

// RuleSet is a whole library: the import/export file is its JSON form.
type RuleSet struct {
	Version   int        `json:"version"`
	Rules     []Rule     `json:"rules"`
	Scenarios []Scenario `json:"scenarios"`
}

// FormatVersion is the file format version this package writes and reads.
const FormatVersion = 1

// Limits checked on import; they keep the compiled matcher small and bounded.
const (
	MaxWordRunes = 64
	maxIDLen     = 64
)

//go:embed default_rules.json
var defaultJSON []byte

// Default returns a fresh copy of the built-in library written from the service-hall seeds.
func Default() RuleSet {
	rs, err := ParseRuleSet(defaultJSON)
	if err != nil {
		panic("speech: built-in rule set is invalid: " + err.Error())
	}
	return rs
}

// DefaultJSON returns the built-in library as its file.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// ParseRuleSet reads and validates a rule set file. Unknown fields are errors so that a typo in
// an admin's edit does not silently drop a setting.
func ParseRuleSet(data []byte) (RuleSet, error) {
	return ReadRuleSet(bytes.NewReader(data))
}

// ReadRuleSet is ParseRuleSet from a reader.
func ReadRuleSet(r io.Reader) (RuleSet, error) {
	br := bufio.NewReader(r)
	if err := startsWithObject(br); err != nil {
		return RuleSet{}, err
	}
	dec := json.NewDecoder(br)
	dec.DisallowUnknownFields()
	var rs RuleSet
	if err := dec.Decode(&rs); err != nil {
		return RuleSet{}, fmt.Errorf("speech: read rule set: %w", err)
	}
	if dec.More() {
		return RuleSet{}, errors.New("speech: read rule set: trailing data after the JSON object")
	}
	// A file without rules would become an active library that finds nothing: an import of
	// null, {} or {"rules":[]} is a mistake, never a wish. It is one more problem of the list.
	var problems []string
	if err := rs.Validate(); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return RuleSet{}, err
		}
		problems = ve.Problems
	}
	if len(rs.Rules) == 0 {
		problems = append(problems, "the file has no rules (\"rules\" must list at least one)")
	}
	if len(problems) > 0 {
		return RuleSet{}, &ValidationError{Problems: problems}
	}
	return rs, nil
}

// startsWithObject refuses a file whose first value is not a JSON object (null, a list, a string).
func startsWithObject(br *bufio.Reader) error {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return &ValidationError{Problems: []string{"the file is empty"}}
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF: // a UTF-8 byte order mark is let through to the decoder's own complaint
		case '{':
		default:
			return &ValidationError{Problems: []string{"the file must be one JSON object with \"rules\""}}
		}
		return br.UnreadByte()
	}
}

// WriteTo writes the rule set file (indented JSON), the export format.
func (rs RuleSet) WriteTo(w io.Writer) (int64, error) {
	if rs.Version == 0 {
		rs.Version = FormatVersion
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rs); err != nil {
		return 0, err
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// ValidationError lists every problem found in a rule set, so an admin can fix a file in one go.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "speech: invalid rule set: " + e.Problems[0]
	}
	return fmt.Sprintf("speech: invalid rule set (%d problems):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Validate checks a rule set: ids, categories, severities, words and exceptions, scenarios.
// Words are compared after folding, so a Traditional and a Simplified spelling of the same word in
// two rules is reported as a duplicate.
func (rs RuleSet) Validate() error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if rs.Version != 0 && rs.Version != FormatVersion {
		add("version %d is not supported (want %d)", rs.Version, FormatVersion)
	}
	ids := map[string]int{}
	owner := map[string]string{} // folded word → rule id
	for i, r := range rs.Rules {
		where := fmt.Sprintf("rules[%d]", i)
		if r.ID != "" {
			where += fmt.Sprintf(" (id %q)", r.ID)
		}
		switch {
		case strings.TrimSpace(r.ID) == "":
			add("%s: empty id", where)
		case len(r.ID) > maxIDLen || strings.IndexFunc(r.ID, unicode.IsSpace) >= 0:
			add("%s: id must be at most %d bytes without spaces", where, maxIDLen)
		default:
			if j, dup := ids[r.ID]; dup {
				add("%s: duplicate id, also rules[%d]", where, j)
			}
			ids[r.ID] = i
		}
		if !r.Category.Valid() {
			add("%s: unknown category %q (want one of %s)", where, r.Category, categoryList())
		}
		if !r.Severity.Valid() {
			add("%s: severity %d out of range 1..3", where, r.Severity)
		}
		if strings.TrimSpace(r.Suggestion) == "" {
			add("%s: empty suggestion (say what to use instead)", where)
		}
		if len(r.Words) == 0 && len(r.Patterns) == 0 {
			add("%s: no words", where)
		}
		switch r.Match {
		case "", MatchWord, MatchSubstring:
		default:
			add("%s: match %q must be %q, %q or empty", where, r.Match, MatchWord, MatchSubstring)
		}
		words := map[string]bool{}
		addWord := func(key, w string) {
			words[key] = true
			if o, dup := owner[key]; dup && o != r.ID {
				add("%s: word %q is also in rule %q", where, w, o)
			}
			owner[key] = r.ID
		}
		for j, w := range r.Words {
			key, err := patternKey(w)
			if err != nil {
				add("%s: words[%d] %q: %v", where, j, w, err)
				continue
			}
			addWord(key, w)
		}
		for j, pt := range r.Patterns {
			parts, err := parsePattern(pt)
			if err != nil {
				add("%s: patterns[%d] %q: %v", where, j, pt, err)
				continue
			}
			for _, part := range parts {
				for _, key := range part {
					if len(parts) == 1 {
						addWord(key, key)
					} else {
						words[key] = true
					}
				}
			}
		}
		for j, w := range r.NotAfter {
			if _, err := patternKey(w); err != nil {
				add("%s: not_after[%d] %q: %v", where, j, w, err)
			}
		}
		for j, e := range r.Exceptions {
			key, err := patternKey(e)
			if err != nil {
				add("%s: exceptions[%d] %q: %v", where, j, e, err)
				continue
			}
			if words[key] {
				add("%s: exception %q is one of the rule's own words", where, e)
				continue
			}
			contains := false
			for w := range words {
				contains = contains || strings.Contains(key, w)
			}
			if !contains && len(words) > 0 {
				add("%s: exception %q contains none of the rule's words, so it would never apply", where, e)
			}
		}
	}
	codes := map[string]int{}
	for i, s := range rs.Scenarios {
		where := fmt.Sprintf("scenarios[%d]", i)
		if s.Code != "" {
			where += fmt.Sprintf(" (code %q)", s.Code)
		}
		if strings.TrimSpace(s.Code) == "" {
			add("%s: empty code", where)
		} else if j, dup := codes[s.Code]; dup {
			add("%s: duplicate code, also scenarios[%d]", where, j)
		} else {
			codes[s.Code] = i
		}
		if strings.TrimSpace(s.Name) == "" {
			add("%s: empty name", where)
		}
		if !validSteps[s.Step] {
			add("%s: unknown step %q", where, s.Step)
		}
		switch s.TimeOfDay {
		case "", Morning, Afternoon, Evening:
		default:
			add("%s: time_of_day %q must be morning, afternoon, evening or empty", where, s.TimeOfDay)
		}
		if len(s.Phrases) == 0 {
			add("%s: no phrases", where)
		}
		for j, ph := range s.Phrases {
			if strings.TrimSpace(ph) == "" || !utf8.ValidString(ph) {
				add("%s: phrases[%d] is empty or not UTF-8", where, j)
			}
		}
	}
	if len(p) > 0 {
		return &ValidationError{Problems: p}
	}
	return nil
}

// patternKey folds a rule word into the string the automaton matches: folded runes with soft
// characters (spaces, commas) dropped.
func patternKey(w string) (string, error) {
	if !utf8.ValidString(w) {
		return "", errors.New("not valid UTF-8")
	}
	var b strings.Builder
	n := 0
	for _, r := range w {
		f := fold(r)
		switch kindOf(f) {
		case clsSoft:
			continue
		case clsHard, clsNewline:
			return "", errors.New("contains a sentence end or line break; a phrase never spans one")
		}
		b.WriteRune(f)
		n++
	}
	if n == 0 {
		return "", errors.New("empty (only spaces or punctuation)")
	}
	if n > MaxWordRunes {
		return "", fmt.Errorf("longer than %d characters", MaxWordRunes)
	}
	return b.String(), nil
}

func foldString(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(fold(r))
	}
	return b.String()
}

// TimeOfDay names the part of the day t falls in, for picking a greeting.
func TimeOfDay(t time.Time) string {
	switch h := t.Hour(); {
	case h < 12:
		return Morning
	case h < 18:
		return Afternoon
	}
	return Evening
}

// PhrasesFor returns the scenarios to show at a counter step at time t: those of the step whose
// time of day is empty or matches t, in file order.
func (rs RuleSet) PhrasesFor(step string, t time.Time) []Scenario {
	tod := TimeOfDay(t)
	var out []Scenario
	for _, s := range rs.Scenarios {
		if s.Step == step && (s.TimeOfDay == "" || s.TimeOfDay == tod) {
			out = append(out, s)
		}
	}
	return out
}

// Scenario returns the scenario with the given code.
func (rs RuleSet) Scenario(code string) (Scenario, bool) {
	for _, s := range rs.Scenarios {
		if s.Code == code {
			return s, true
		}
	}
	return Scenario{}, false
}

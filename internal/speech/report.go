package speech

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Report writes a readable Chinese report of hits found in text: one entry per hit with its
// line and column (1-based, in characters), the original words, category, severity and what to
// say instead, then a count by severity.
func Report(w io.Writer, hits []Hit, text string) error {
	ew := &errWriter{w: w}
	if len(hits) == 0 {
		ew.printf("未发现服务禁语。\n")
		return ew.err
	}
	cols := columns(hits, text)
	var bySev [High + 1]int
	for i, h := range hits {
		ew.printf("第%d行第%d列 “%s”  %s · %s\n", h.Line, cols[i], h.Text, h.Category.Name(), h.Severity.Name())
		ew.printf("    建议：%s\n", h.Suggestion)
		if h.Severity.Valid() {
			bySev[h.Severity]++
		}
	}
	ew.printf("\n共发现 %d 处服务禁语（严重 %d，一般 %d，轻微 %d）。\n", len(hits), bySev[High], bySev[Medium], bySev[Low])
	return ew.err
}

// columns gives each hit's 1-based column in its line, walking the text once.
func columns(hits []Hit, text string) []int {
	cols := make([]int, len(hits))
	lineStart, ri, i := 0, 0, 0
	for k, h := range hits {
		for ri < h.Start && i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			ri++
			if r == '\n' {
				lineStart = ri
			}
		}
		cols[k] = h.Start - lineStart + 1
	}
	return cols
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// Exit statuses of the check-speech command.
const (
	ExitClean = 0 // no forbidden expression
	ExitHits  = 1 // at least one hit
	ExitError = 2 // bad usage, unreadable or invalid input, bad rule file
)

const checkSpeechUsage = `usage: qhall check-speech [--json] [--plain] [--rules FILE] FILE
Checks FILE (or standard input when FILE is "-") for forbidden service phrases (服务禁语).
Lines that start with a speaker label such as "客户：" or "窗口：" belong to that speaker and
only the clerk's lines are checked; a text without labels is all the clerk's.
  --json        print a JSON array of hits (line, start, end, text, category, severity,
                suggestion, rule_id); start and end are character offsets, end exclusive
  --plain       ignore speaker labels and check every line (written replies, exam answers)
  --rules FILE  use this rule set file instead of the built-in one
Exit status: 0 no hits, 1 hits found, 2 error.
`

// RunCheckSpeech implements `qhall check-speech`; args are the arguments after the subcommand.
// Flags may come before or after FILE.
func RunCheckSpeech(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var (
		asJSON, plain bool
		rulesFile     string
		files         []string
	)
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "check-speech: "+format+"\n", a...)
		return ExitError
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			files = append(files, args[i+1:]...)
			i = len(args)
		case a == "-h" || a == "--help" || a == "-help":
			fmt.Fprint(stdout, checkSpeechUsage)
			return ExitClean
		case a == "--json" || a == "-json":
			asJSON = true
		case a == "--plain" || a == "-plain":
			plain = true
		case a == "--rules" || a == "-rules":
			if i+1 >= len(args) {
				return fail("--rules needs a file name")
			}
			i++
			rulesFile = args[i]
		case strings.HasPrefix(a, "--rules=") || strings.HasPrefix(a, "-rules="):
			_, rulesFile, _ = strings.Cut(a, "=")
		case a != "-" && strings.HasPrefix(a, "-"):
			fmt.Fprint(stderr, checkSpeechUsage)
			return fail("unknown flag %s", a)
		default:
			files = append(files, a)
		}
	}
	if len(files) != 1 {
		fmt.Fprint(stderr, checkSpeechUsage)
		return fail("want exactly one FILE (or - for standard input), got %d", len(files))
	}

	rs := Default()
	if rulesFile != "" {
		data, err := os.ReadFile(rulesFile)
		if err != nil {
			return fail("%v", err)
		}
		if rs, err = ParseRuleSet(data); err != nil {
			return fail("%s: %v", rulesFile, err)
		}
	}
	checker, err := Compile(rs)
	if err != nil {
		return fail("%v", err)
	}

	var data []byte
	if files[0] == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(files[0])
	}
	if err != nil {
		return fail("%v", err)
	}
	name := files[0]
	if name == "-" {
		name = "standard input"
	}
	text := string(data)
	var hits []Hit
	if plain {
		hits, err = checker.CheckPlain(text)
	} else {
		hits, err = checker.Check(text)
	}
	if err != nil {
		return fail("%s: %v", name, err)
	}

	if asJSON {
		if hits == nil {
			hits = []Hit{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(hits)
	} else {
		err = Report(stdout, hits, text)
	}
	if err != nil {
		return fail("write output: %v", err)
	}
	if len(hits) > 0 {
		return ExitHits
	}
	return ExitClean
}

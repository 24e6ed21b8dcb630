package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/speech"
	"github.com/qhall/qhall/internal/staff"
)

// families are the message keys built at run time from a prefix and a code ("reason_" + code).
// Their members come from the Go source of truth where there is one; a nil list is an open
// family: its codes are data (the demo's service categories) or spread over every domain
// (audit actions), so every key with the prefix counts as used.
var families = map[string][]string{
	"reason_":        queue.PauseReasons,
	"state_":         {queue.Waiting, queue.Called, queue.Serving, queue.Done, queue.Skipped},
	"counter_state_": {"open", "closed", "paused"},       // queue names window states without constants
	"kiosk_kind_":    {"consult", "handle", "complaint"}, // org.Service.Kind, without constants
	"role_":          {string(staff.Admin), string(staff.Supervisor), string(staff.Clerk), string(staff.Handler)},
	"speech_cat_":    categoryCodes(),
	"speech_sev_":    {strconv.Itoa(int(speech.Low)), strconv.Itoa(int(speech.Medium)), strconv.Itoa(int(speech.High))},
	"speech_step_": {speech.StepCall, speech.StepServe, speech.StepMissingMaterial, speech.StepTransfer, speech.StepPause,
		speech.StepPhone, speech.StepComplaint, speech.StepFinish},
	"speech_tod_": {speech.Morning, speech.Afternoon, speech.Evening},
	"cat_":        nil,
	"audit_":      nil,
	// back office
	"adminsec_": {"halls", "halls_hint", "services", "services_hint", "windows", "windows_hint", "staff", "staff_hint",
		"priority", "priority_hint", "calendar", "calendar_hint", "finder", "finder_hint"},
	"weekday_": {"1", "2", "3", "4", "5", "6", "7"},
	// appointments
	"appt_state_":   appointments.States,
	"appt_count_":   appointments.States,
	"appt_weekday_": {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}, // time.Weekday's names, cut to three letters
	// ratings and complaints (internal/feedback)
	"fb_level_":   {"1", "2", "3", "4", "5"},
	"fb_tag_":     feedbackTags(),
	"fb_rstate_":  {feedback.RContact, feedback.RVerify, feedback.RAppeal, feedback.RRectify, feedback.RCallback, feedback.RClosed},
	"fb_cstate_":  {feedback.CNew, feedback.CReceived, feedback.CInvestigating, feedback.CFeedback, feedback.CEscalated, feedback.CArchived, feedback.CClosed},
	"fb_topic_":   feedback.Topics,
	"fb_channel_": feedback.Channels,
	"fb_class_":   append(slices.Clone(feedback.Classes), "unclassified"),
	"fb_verdict_": {feedback.VerdictReasonable, feedback.VerdictComplex, feedback.VerdictNoBasis},
	"fb_resp_":    feedback.CallbackResponses,
	"fb_op_":      {feedback.OpinionSatisfied, feedback.OpinionUnsatisfied},
	"fb_source_":  {"complaint", "rating"},
	"fb_by_":      {"window", "clerk", "service"},
	"fb_act_":     {"open", "contact", "verify", "appeal", "decide", "report", "callback", "escalate", "take", "sign", "classify", "handle", "opinion", "learn"},
	// Case files (办件).
	"case_state_":  caseCodes(cases.States),
	"case_step_":   caseCodes(cases.Steps),
	"case_mat_":    {cases.OK, cases.Missing, cases.Faulty, cases.NA},
	"case_reason_": cases.SuspendReasons,
	"case_node_":   {string(cases.NodeReception), string(cases.NodeReview), string(cases.NodeHandling)},
	"case_level_":  {"green", "yellow", "red"},
	"case_f_":      nil,
}

// feedbackTags are every reason tag of every level.
func feedbackTags() (out []string) {
	for _, ts := range feedback.LevelTags() {
		for _, t := range ts {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func caseCodes[T ~string](xs []T) (out []string) {
	for _, x := range xs {
		out = append(out, string(x))
	}
	return out
}

func categoryCodes() (out []string) {
	for _, c := range speech.Categories() {
		out = append(out, string(c))
	}
	return out
}

// keptKeys are defined and used nowhere, on purpose (say why).
var keptKeys = map[string]string{}

// keyUses is what a scan found: keys and family prefixes, each with where it was seen.
type keyUses struct {
	keys, families map[string][]string
}

func newKeyUses() *keyUses { return &keyUses{map[string][]string{}, map[string][]string{}} }

func (u *keyUses) key(k, where string)    { u.keys[k] = append(u.keys[k], where) }
func (u *keyUses) family(p, where string) { u.families[p] = append(u.families[p], where) }

var (
	tmplKeyRE    = regexp.MustCompile(`\.T\s+"([^"]+)"`)
	tmplFamilyRE = regexp.MustCompile(`\.T\s+\(print\s+"([^"]+)"`)
	// In scripts, t('key', …) and helpers that take a key (withNumber); t('prefix_' + code) is
	// a family; t(cond ? 'a' : 'b') names two keys.
	jsKeyRE     = regexp.MustCompile(`(?:^|[^\w.$])(?:t|withNumber)\(\s*'([\w.]+)'\s*([,)+])`)
	jsTernaryRE = regexp.MustCompile(`(?:^|[^\w.$])t\([^'()]*\?\s*'([\w.]+)'\s*:\s*'([\w.]+)'`)
	jsCommentRE = regexp.MustCompile(`(?m)^\s*//.*$`)
	// Any other t(expr) computes its key where this scan cannot follow, except inside a helper
	// whose callers pass the key literally (withNumber(key, n) in ticket.js).
	jsDynamicRE = regexp.MustCompile(`(?:^|[^\w.$])t\(\s*([^'\s)][^,)]*)`)
)

func scanTemplates(t *testing.T) *keyUses {
	u := newKeyUses()
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range tmplKeyRE.FindAllStringSubmatch(string(b), -1) {
			u.key(m[1], p)
		}
		for _, m := range tmplFamilyRE.FindAllStringSubmatch(string(b), -1) {
			u.family(m[1], p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// scanScripts returns the keys each script reads, by its path below static/.
func scanScripts(t *testing.T) map[string]*keyUses {
	out := map[string]*keyUses{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := staticFS.ReadFile(p)
		src := jsCommentRE.ReplaceAllString(string(b), "")
		u := newKeyUses()
		for _, m := range jsKeyRE.FindAllStringSubmatch(src, -1) {
			if m[2] == "+" {
				u.family(m[1], p)
			} else {
				u.key(m[1], p)
			}
		}
		for _, m := range jsTernaryRE.FindAllStringSubmatch(src, -1) {
			u.key(m[1], p)
			u.key(m[2], p)
		}
		for _, m := range jsDynamicRE.FindAllStringSubmatch(src, -1) {
			if arg := strings.TrimSpace(m[1]); arg != "key" && !jsTernaryRE.MatchString("t("+arg) {
				t.Errorf("%s: t(%s…) computes its key; write it as 'key' or 'prefix_' + code", p, arg)
			}
		}
		out[strings.TrimPrefix(p, "static/")] = u
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// scanGo reads the Go code: in this package, the keys handed to T (i18n.T, p.T), newPage and
// i18n.Has, families built there by concatenation or fmt.Sprintf, and the titles and messages
// pageError picks; in every package, the codes of apperr.New, which fail turns into messages.
func scanGo(t *testing.T) *keyUses {
	u := newKeyUses()
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		here := filepath.Dir(p) == "../web"
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := callName(n)
				if name == "apperr.New" && len(n.Args) > 1 {
					if s, ok := stringLit(n.Args[1]); ok {
						u.key(s, fset.Position(n.Pos()).String())
					}
				}
				if !here {
					return true
				}
				var arg ast.Expr
				switch {
				case strings.HasSuffix(name, "T") && (name == "T" || strings.HasSuffix(name, ".T")):
					for _, a := range n.Args { // the key is the first string argument
						if _, isLit := stringLit(a); isLit || isConcat(a) || callName(asCall(a)) == "fmt.Sprintf" {
							arg = a
							break
						}
					}
				case name == "newPage" && len(n.Args) > 2:
					arg = n.Args[2]
				case name == "i18n.Has" && len(n.Args) > 0:
					arg = n.Args[0]
				}
				if arg != nil {
					keyArg(u, arg, fset.Position(n.Pos()).String())
				}
			case *ast.BinaryExpr:
				if here && isConcat(n) {
					keyArg(u, n, fset.Position(n.Pos()).String())
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); here && ok && (id.Name == "title" || id.Name == "msg") && i < len(n.Rhs) {
						if s, ok := stringLit(n.Rhs[i]); ok {
							u.key(s, fset.Position(n.Pos()).String())
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func keyArg(u *keyUses, e ast.Expr, where string) {
	if s, ok := stringLit(e); ok {
		u.key(s, where)
		return
	}
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		if s, ok := stringLit(b.X); ok && strings.HasSuffix(s, "_") {
			u.family(s, where)
		}
		return
	}
	if c := asCall(e); callName(c) == "fmt.Sprintf" && len(c.Args) > 0 {
		if s, ok := stringLit(c.Args[0]); ok {
			if i := strings.IndexByte(s, '%'); i > 0 {
				u.family(s[:i], where)
			}
		}
	}
}

func isConcat(e ast.Expr) bool {
	b, ok := e.(*ast.BinaryExpr)
	if !ok || b.Op != token.ADD {
		return false
	}
	s, ok := stringLit(b.X)
	return ok && strings.HasSuffix(s, "_") && !strings.Contains(s, "/")
}

func asCall(e ast.Expr) *ast.CallExpr { c, _ := e.(*ast.CallExpr); return c }

func callName(c *ast.CallExpr) string {
	if c == nil {
		return ""
	}
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
		return "." + f.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	l, ok := e.(*ast.BasicLit)
	if !ok || l.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(l.Value)
	return s, err == nil
}

func exists(k string) bool {
	return i18n.Has(k) && i18n.T(i18n.Hans, k) != "" && i18n.T(i18n.EN, k) != ""
}

// TestMessageKeys scans templates, scripts and Go code for message keys. It fails when a key
// or a family's member is used but not defined in Simplified Chinese and English, when a
// script reads a key its page is not given (or a page is given one its script never reads),
// and when a key is defined but used nowhere (unless kept on purpose in keptKeys).
func TestMessageKeys(t *testing.T) {
	all := []*keyUses{scanTemplates(t), scanGo(t)}
	scripts := scanScripts(t)
	for _, u := range scripts {
		all = append(all, u)
	}

	used := map[string]bool{}
	for _, u := range all {
		for k, where := range u.keys {
			if !exists(k) {
				t.Errorf("message %q (%s) is not defined in Simplified Chinese and English", k, where[0])
			}
			used[k] = true
		}
		for p, where := range u.families {
			members, ok := families[p]
			if !ok {
				t.Errorf("family %q* (%s) is not listed in families with its members", p, where[0])
			}
			for _, m := range members {
				if !exists(p + m) {
					t.Errorf("message %q of family %s* (%s) is not defined", p+m, p, where[0])
				}
				used[p+m] = true
			}
			if members == nil {
				for _, k := range i18n.Keys() {
					if strings.HasPrefix(k, p) {
						used[k] = true
					}
				}
			}
		}
	}

	// Each page's script reads only the messages its view hands it, and the view hands it no
	// more than that.
	checkGiven := func(script string, given []string) {
		u := scripts[script]
		if u == nil {
			t.Errorf("script %s does not exist", script)
			return
		}
		for k := range u.keys {
			if !slices.Contains(given, k) && !slices.ContainsFunc(given, func(g string) bool {
				p, fam := strings.CutSuffix(g, "*")
				return fam && strings.HasPrefix(k, p)
			}) {
				t.Errorf("%s reads %q, which its page is not given", script, k)
			}
		}
		for p := range u.families {
			if !slices.Contains(given, p+"*") {
				t.Errorf("%s reads the family %s*, which its page is not given", script, p)
			}
		}
	}
	checkGiven("common/qhall.js", commonKeys)
	pageScripts := map[string]bool{"common/qhall.js": true}
	for name, v := range views {
		if v.script == "" {
			if len(v.keys) > 0 {
				t.Errorf("view %s gives messages but has no script", name)
			}
			continue
		}
		pageScripts[v.script] = true
		checkGiven(v.script, slices.Concat(commonKeys, v.keys))
		u := scripts[v.script]
		for _, k := range v.keys {
			p, fam := strings.CutSuffix(k, "*")
			if u != nil && (fam && u.families[p] == nil || !fam && u.keys[k] == nil) {
				t.Errorf("view %s gives %q, which %s never reads", name, k, v.script)
			}
		}
		for _, a := range v.addons {
			pageScripts[a.script] = true
			checkGiven(a.script, slices.Concat(commonKeys, a.keys))
			u := scripts[a.script]
			for _, k := range a.keys {
				p, fam := strings.CutSuffix(k, "*")
				if u != nil && (fam && u.families[p] == nil || !fam && u.keys[k] == nil) {
					t.Errorf("view %s's addon gives %q, which %s never reads", name, k, a.script)
				}
			}
		}
	}
	for s := range scripts {
		if !pageScripts[s] {
			t.Errorf("script %s belongs to no view", s)
		}
	}

	for _, k := range i18n.Keys() {
		_, kept := keptKeys[k]
		switch {
		case !used[k] && !kept:
			t.Errorf("message %q is defined but used nowhere (remove it, or keep it in keptKeys saying why)", k)
		case used[k] && kept:
			t.Errorf("message %q is in keptKeys but is used", k)
		}
	}
	for k := range keptKeys {
		if !i18n.Has(k) {
			t.Errorf("keptKeys names %q, which is not defined", k)
		}
	}
}

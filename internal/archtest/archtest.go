// Package archtest holds qhall's architecture to account: the levels and who may import whom,
// and one owner per table. Its tests read the real module (go list, the package docs, the SQL in
// the source) and fail on a wrong import or a write to another package's table;
// docs/ARCHITECTURE.md explains the rules. The checks are plain functions so that the tests can
// also feed them a wrong import and a foreign write and see them fail.
package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Module is qhall's module path.
const Module = "github.com/qhall/qhall/"

// Level is one level of the architecture, bottom up.
type Level struct {
	Name     string
	Packages []string // paths below the module, e.g. "internal/store"
}

// Levels are qhall's levels, bottom up. A package imports qhall packages only from levels
// below its own (and, within the domains, the few listed in DomainImports). Every package must
// be in exactly one level.
var Levels = []Level{
	{"platform base", []string{"internal/apperr", "internal/i18n", "internal/store", "internal/qr"}},
	{"platform", []string{"internal/events", "internal/jobs", "internal/calendar", "internal/audit", "internal/notify"}},
	{"pure rules", []string{"internal/speech", "internal/privacy", "internal/staffing", "internal/forecast"}},
	{"identity: staff", []string{"internal/staff"}},
	{"identity: permissions", []string{"internal/authz"}},
	{"catalogue", []string{"internal/org"}},
	{"domains", []string{"internal/queue", "internal/servicelang", "internal/cases", "internal/appointments", "internal/feedback", "internal/devices"}},
	{"composition", []string{"internal/hallscreen"}},
	{"edge", []string{"internal/web"}},
	{"wiring: simulation", []string{"internal/simulate"}},
	{"wiring: demo data", []string{"internal/demo"}},
	{"wiring", []string{"internal/app", "internal/storetest", "internal/archtest"}},
	{"commands", []string{"cmd/qhall", "cmd/qhall-load"}},
}

// DomainImports are the imports allowed between packages of the domain level: "a b" lets a
// import b. docs/ARCHITECTURE.md gives the reason for each.
var DomainImports = map[string]bool{
	"internal/servicelang internal/queue": true, // transcripts are attached to served tickets
	"internal/cases internal/queue":       true, // a case is opened for a called ticket; a notice's code issues a ticket
	// a check-in issues the booking's ticket in the booking's own transaction (queue.IssueTx)
	"internal/appointments internal/queue": true,
	"internal/feedback internal/queue":     true, // a rating is of a finished ticket, found by its token; figures count served tickets
}

// pure packages import no qhall package and nothing that reaches a database or the network.
var pure = map[string]bool{"internal/speech": true, "internal/privacy": true, "internal/staffing": true, "internal/forecast": true}

// forbidden lists imports a level never makes, by level name.
var forbidden = map[string][]string{
	"domains":    {"net/http", Module + "internal/web", Module + "internal/i18n"},
	"catalogue":  {"net/http", Module + "internal/web", Module + "internal/i18n"},
	"pure rules": {"net/http", "database/sql", "os/exec"},
}

// CheckImports returns every broken rule in an import graph: package path (below the module)
// → its imports (full paths).
func CheckImports(graph map[string][]string) []string {
	level := map[string]int{}
	levelName := map[string]string{}
	var problems []string
	for i, l := range Levels {
		for _, p := range l.Packages {
			if _, dup := level[p]; dup {
				problems = append(problems, fmt.Sprintf("%s is in two levels", p))
			}
			level[p], levelName[p] = i, l.Name
		}
	}
	pkgs := make([]string, 0, len(graph))
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		lp, ok := level[p]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s is in no level: add it to archtest.Levels and docs/ARCHITECTURE.md", p))
			continue
		}
		for _, imp := range graph[p] {
			for _, f := range forbidden[levelName[p]] {
				if imp == f {
					problems = append(problems, fmt.Sprintf("%s (%s) imports %s, which its level never does", p, levelName[p], imp))
				}
			}
			if !strings.HasPrefix(imp, Module) {
				continue
			}
			q := strings.TrimPrefix(imp, Module)
			if pure[p] {
				problems = append(problems, fmt.Sprintf("%s (pure rules) imports %s: pure rules import no qhall package", p, q))
				continue
			}
			lq, ok := level[q]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s imports %s, which is in no level", p, q))
			case lq > lp:
				problems = append(problems, fmt.Sprintf("%s (%s) imports %s (%s): a level imports only from below", p, levelName[p], q, levelName[q]))
			case lq == lp && !DomainImports[p+" "+q]:
				problems = append(problems, fmt.Sprintf("%s imports %s at its own level (%s): not listed in archtest.DomainImports", p, q, levelName[p]))
			}
		}
	}
	return problems
}

// ownedRE finds a package doc's "Tables owned (only this package writes them): a, b."
var ownedRE = regexp.MustCompile(`Tables owned \(only this package writes them\):\s*([a-z0-9_,\s]+)\.`)

// Owners reads the tables each package's doc claims, from its files' sources (path → text).
// It reports tables claimed twice.
func Owners(files map[string]map[string]string) (map[string]string, []string) {
	owner := map[string]string{}
	var problems []string
	pkgs := sortedKeys(files)
	for _, pkg := range pkgs {
		for _, name := range sortedKeys(files[pkg]) {
			f, err := parser.ParseFile(token.NewFileSet(), name, files[pkg][name], parser.ParseComments|parser.PackageClauseOnly)
			if err != nil || f.Doc == nil {
				continue
			}
			m := ownedRE.FindStringSubmatch(strings.Join(strings.Fields(f.Doc.Text()), " "))
			if m == nil {
				continue
			}
			for _, t := range strings.Split(m[1], ",") {
				t = strings.TrimSpace(t)
				if other, dup := owner[t]; dup && other != pkg {
					problems = append(problems, fmt.Sprintf("table %s is claimed by %s and %s", t, other, pkg))
				}
				owner[t] = pkg
			}
		}
	}
	return owner, problems
}

var (
	writeRE = regexp.MustCompile(`\b(?:INSERT\s+INTO|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)|(?:^|[^O]\s|[^\sO]|^\s*)\bUPDATE\s+([a-z_][a-z0-9_]*)\s+SET\b`)
	sqlRE   = regexp.MustCompile(`\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+[a-z_]+\s+SET\b|\bDELETE\s+FROM\b`)
)

// Writes are the tables a Go file's string literals write to (INSERT, UPDATE, DELETE), with the
// line of each.
func Writes(name, src string) (map[string][]int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	out := map[string][]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		for _, m := range writeRE.FindAllStringSubmatch(s, -1) {
			t := m[1] + m[2]
			if strings.Contains(m[0], "DO UPDATE") {
				continue
			}
			out[t] = append(out[t], fset.Position(lit.Pos()).Line)
		}
		return true
	})
	return out, nil
}

// HasSQL tells whether a Go file's string literals hold SQL, with the line of the first.
func HasSQL(name, src string) (int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return 0, err
	}
	line := 0
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && line == 0 {
			if s, err := strconv.Unquote(lit.Value); err == nil && sqlRE.MatchString(s) {
				line = fset.Position(lit.Pos()).Line
			}
		}
		return line == 0
	})
	return line, nil
}

// CheckWrites returns every write to a table by a package that does not own it, and every
// table written that nobody owns. files: package path → file path → source (tests excluded).
func CheckWrites(files map[string]map[string]string, owner map[string]string) []string {
	var problems []string
	for _, pkg := range sortedKeys(files) {
		for _, name := range sortedKeys(files[pkg]) {
			w, err := Writes(name, files[pkg][name])
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", name, err))
				continue
			}
			for _, t := range sortedKeys(w) {
				switch o, ok := owner[t]; {
				case !ok:
					problems = append(problems, fmt.Sprintf("%s:%v writes table %s, which no package doc claims", name, w[t], t))
				case o != pkg:
					problems = append(problems, fmt.Sprintf("%s:%v writes table %s, owned by %s: call the owner's function", name, w[t], t, o))
				}
			}
		}
	}
	return problems
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

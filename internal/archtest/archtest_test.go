package archtest

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the module's folder (this package is internal/archtest).
func root(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// importGraph reads the module's packages and their imports with go list.
func importGraph(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = root(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		graph[strings.TrimPrefix(p.ImportPath, Module)] = p.Imports
	}
	if len(graph) < 10 {
		t.Fatalf("go list found only %d packages", len(graph))
	}
	return graph
}

// sources are the non-test Go files of every package, by package path.
func sources(t *testing.T) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	base := root(t)
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(base, top), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(base, filepath.Dir(path))
			pkg := filepath.ToSlash(rel)
			if out[pkg] == nil {
				out[pkg] = map[string]string{}
			}
			out[pkg][path] = string(b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestImportsFollowTheLevels(t *testing.T) {
	for _, p := range CheckImports(importGraph(t)) {
		t.Error(p)
	}
}

func TestImportRulesCatchWrongImports(t *testing.T) {
	cases := map[string]map[string][]string{
		"platform imports a domain":  {"internal/store": {Module + "internal/queue"}},
		"domain imports the edge":    {"internal/queue": {Module + "internal/web"}},
		"domain imports net/http":    {"internal/queue": {"net/http"}},
		"domain imports i18n":        {"internal/servicelang": {Module + "internal/i18n"}},
		"unlisted domain import":     {"internal/queue": {Module + "internal/servicelang"}},
		"pure rules import qhall":    {"internal/speech": {Module + "internal/apperr"}},
		"pure rules reach the DB":    {"internal/privacy": {"database/sql"}},
		"catalogue imports a domain": {"internal/org": {Module + "internal/queue"}},
		"a package in no level":      {"internal/newthing": {"fmt"}},
	}
	for name, g := range cases {
		if len(CheckImports(g)) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
	if p := CheckImports(map[string][]string{"internal/servicelang": {Module + "internal/queue", "net/url"}, "internal/web": {"net/http"}}); len(p) != 0 {
		t.Errorf("allowed imports refused: %v", p)
	}
}

func TestOnlyOwnersWriteTheirTables(t *testing.T) {
	src := sources(t)
	owner, problems := Owners(src)
	for _, p := range problems {
		t.Error(p)
	}
	for _, p := range CheckWrites(src, owner) {
		t.Error(p)
	}
	// The scan sees the real writes (a scan that finds nothing would pass anything).
	written := map[string]bool{}
	for _, files := range src {
		for name, text := range files {
			w, _ := Writes(name, text)
			for table := range w {
				written[table] = true
			}
		}
	}
	for _, table := range []string{"tickets", "window_states", "halls", "staff", "audit_log", "transcripts", "calendar_days"} {
		if !written[table] {
			t.Errorf("no write to %s found: the scan is blind", table)
		}
	}
	// Every table of the schema has an owner.
	created := regexp.MustCompile(`CREATE TABLE ([a-z_]+)`)
	migs, _ := filepath.Glob(filepath.Join(root(t), "internal/store/migrations/*.sql"))
	for _, m := range migs {
		b, _ := os.ReadFile(m)
		for _, c := range created.FindAllStringSubmatch(string(b), -1) {
			// A table rebuilt under a transient name (SQLite cannot alter a CHECK) is renamed in the same file.
			renamed := strings.Contains(string(b), "ALTER TABLE "+c[1]+" RENAME TO ")
			if owner[c[1]] == "" && !strings.HasPrefix(c[1], "goose") && !renamed {
				t.Errorf("table %s (%s) has no owner: name it in its package's doc", c[1], filepath.Base(m))
			}
		}
	}
}

func TestForeignWritesAreCaught(t *testing.T) {
	owner := map[string]string{"tickets": "internal/queue", "windows": "internal/org"}
	files := map[string]map[string]string{
		"internal/web": {"web.go": "package web\nconst q = `UPDATE tickets SET state = 'done' WHERE id = ?`\n"},
		"internal/queue": {"q.go": "package queue\nconst a = \"INSERT INTO tickets (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET id = excluded.id\"\n" +
			"const b = \"DELETE FROM windows WHERE id = ?\"\nconst c = \"INSERT INTO mystery (x) VALUES (1)\"\n"},
	}
	got := strings.Join(CheckWrites(files, owner), "\n")
	for _, want := range []string{"web.go:[2] writes table tickets, owned by internal/queue", "q.go:[3] writes table windows, owned by internal/org",
		"q.go:[4] writes table mystery, which no package doc claims"} {
		if !strings.Contains(got, want) {
			t.Errorf("not caught: %s\n(got %s)", want, got)
		}
	}
	if strings.Contains(got, "q.go:[2]") {
		t.Errorf("an owner's upsert was refused: %s", got)
	}
	_, problems := Owners(map[string]map[string]string{
		"internal/a": {"a.go": "// Package a.\n//\n// Tables owned (only this package writes them): t1, t2.\npackage a\n"},
		"internal/b": {"b.go": "// Package b.\n//\n// Tables owned (only this package writes them): t2.\npackage b\n"},
	})
	if len(problems) != 1 {
		t.Errorf("a table claimed twice: %v", problems)
	}
}

// The edge holds no SQL: handlers call the domains.
func TestNoSQLInWeb(t *testing.T) {
	for name, src := range sources(t)["internal/web"] {
		line, err := HasSQL(name, src)
		if err != nil {
			t.Fatal(err)
		}
		if line != 0 {
			t.Errorf("%s:%d holds SQL", name, line)
		}
	}
	if line, _ := HasSQL("x.go", "package x\nvar q = \"SELECT id FROM tickets\"\n"); line != 2 {
		t.Error("SQL not found where it is")
	}
}

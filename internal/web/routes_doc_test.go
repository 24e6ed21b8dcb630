package web

import (
	"os"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/authz"
)

// routeTable is the route table as docs/API.md shows it, between its two markers.
func routeTable() string {
	var b strings.Builder
	b.WriteString("| route | permission | who holds it |\n| --- | --- | --- |\n")
	for _, rt := range (&Server{}).routes() {
		b.WriteString("| `" + rt.Pattern + "` | `" + string(rt.Perm) + "` | " + holders(rt.Perm) + " |\n")
	}
	return b.String()
}

// holders says which roles hold a permission and how far.
func holders(p authz.Permission) string {
	switch p {
	case authz.Public:
		return "anyone"
	case authz.SignedIn:
		return "any signed-in staff"
	}
	var out []string
	for _, role := range []string{"admin", "supervisor", "clerk"} {
		for r, ps := range authz.Table {
			if string(r) == role && ps[p] != authz.None {
				out = append(out, role+" ("+ps[p].String()+")")
			}
		}
	}
	return strings.Join(out, ", ")
}

// TestAPIDocListsEveryRoute keeps docs/API.md's route table equal to the code's: a route added,
// removed or given another permission fails here until the doc says so.
func TestAPIDocListsEveryRoute(t *testing.T) {
	b, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- routes: begin -->\n", "<!-- routes: end -->"
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/API.md lacks the markers %q … %q", begin, end)
	}
	if got, want := doc[i+len(begin):j], routeTable(); got != want {
		t.Errorf("docs/API.md's route table is out of date; it should read:\n%s", want)
	}
}

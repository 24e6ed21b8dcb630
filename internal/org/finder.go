package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
)

// The guided finder (智能导办): a hall's decision tree, edited in the back office, whose nodes are
// answers (Label) that either ask a further question with their children as its answers, or end
// at a service; and a search over the hall's services by words or by pinyin (社保缴纳: "sbjn",
// "shebao").

// FinderNode is one answer of the finder's tree.
type FinderNode struct {
	Label    string        `json:"label"`
	Question string        `json:"question,omitempty"` // what is asked next, when it has children
	Service  int64         `json:"service,omitempty"`  // where it ends, when it has none
	Children []*FinderNode `json:"children,omitempty"`
}

// Finder limits: a citizen answers a few questions, not a questionnaire.
const (
	FinderMaxDepth = 5
	FinderMaxNodes = 200
)

// Finder is a hall's tree: the answers to the first question.
func Finder(ctx context.Context, q store.Querier, hall int64) ([]*FinderNode, error) {
	rows, err := q.Query(ctx, `SELECT id, parent_id, label, question, COALESCE(service_id, 0) FROM finder_nodes WHERE hall_id = ? ORDER BY parent_id, position, id`, hall)
	if err != nil {
		return nil, fmt.Errorf("org: finder: %w", err)
	}
	defer rows.Close()
	byID := map[int64]*FinderNode{}
	type link struct{ id, parent int64 }
	var order []link
	for rows.Next() {
		var id, parent int64
		n := &FinderNode{}
		if err := rows.Scan(&id, &parent, &n.Label, &n.Question, &n.Service); err != nil {
			return nil, err
		}
		byID[id] = n
		order = append(order, link{id, parent})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roots := []*FinderNode{}
	for _, l := range order {
		if p := byID[l.parent]; p != nil {
			p.Children = append(p.Children, byID[l.id])
		} else {
			roots = append(roots, byID[l.id])
		}
	}
	return roots, nil
}

// ValidateFinder checks a tree against the hall's active services: every node has a label,
// a node ends at a service or asks a question with answers (never both), depth and size are
// bounded.
func ValidateFinder(roots []*FinderNode, services map[int64]bool) error {
	count := 0
	var walk func(ns []*FinderNode, depth int, path string) error
	walk = func(ns []*FinderNode, depth int, path string) error {
		if depth > FinderMaxDepth && len(ns) > 0 {
			return invalid("finder"+path, fmt.Sprintf("at most %d levels", FinderMaxDepth))
		}
		for i, n := range ns {
			p := fmt.Sprintf("%s[%d]", path, i)
			count++
			switch {
			case n == nil:
				return invalid("finder"+p, "empty")
			case count > FinderMaxNodes:
				return invalid("finder", fmt.Sprintf("at most %d answers", FinderMaxNodes))
			case strings.TrimSpace(n.Label) == "" || len([]rune(n.Label)) > 60:
				return invalid("finder"+p+".label", "1 to 60 characters")
			case len([]rune(n.Question)) > 100:
				return invalid("finder"+p+".question", "at most 100 characters")
			case n.Service != 0 && len(n.Children) > 0:
				return invalid("finder"+p, "ends at a service or asks a question, not both")
			case n.Service == 0 && len(n.Children) == 0:
				return invalid("finder"+p, "needs a service or answers")
			case n.Service != 0 && !services[n.Service]:
				return apperr.New(apperr.NotFound, "service_not_found", n.Service)
			}
			if err := walk(n.Children, depth+1, p+".children"); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(roots, 1, "")
}

// SetFinder replaces a hall's tree.
func SetFinder(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, hall int64, roots []*FinderNode) error {
	h, err := GetHall(ctx, tx, hall)
	if err != nil {
		return err
	}
	svcs, err := Services(ctx, tx, hall)
	if err != nil {
		return fmt.Errorf("org: set finder: %w", err)
	}
	active := map[int64]bool{}
	for _, s := range svcs {
		active[s.ID] = true
	}
	if err := ValidateFinder(roots, active); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM finder_nodes WHERE hall_id = ?", hall); err != nil {
		return fmt.Errorf("org: set finder: %w", err)
	}
	count := 0
	var insert func(ns []*FinderNode, parent int64) error
	insert = func(ns []*FinderNode, parent int64) error {
		for i, n := range ns {
			count++
			var svc any
			if n.Service != 0 {
				svc = n.Service
			}
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO finder_nodes (hall_id, parent_id, position, label, question, service_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				hall, parent, i, strings.TrimSpace(n.Label), strings.TrimSpace(n.Question), svc).Scan(&id); err != nil {
				return err
			}
			if err := insert(n.Children, id); err != nil {
				return err
			}
		}
		return nil
	}
	if err := insert(roots, 0); err != nil {
		return fmt.Errorf("org: set finder: %w", err)
	}
	return audit.Record(ctx, tx, at, who, hall, "finder.update", "hall:"+h.Name, map[string]any{"answers": count})
}

// Walk follows the answers chosen (indexes, one per question) from the first question. It
// returns the node reached (nil at the start) and false when a step is out of range.
func Walk(roots []*FinderNode, answers []int) (*FinderNode, bool) {
	var at *FinderNode
	options := roots
	for _, a := range answers {
		if a < 0 || a >= len(options) {
			return nil, false
		}
		at = options[a]
		options = at.Children
	}
	return at, true
}

var initialsCache sync.Map // text -> [2]string{initials, full pinyin}

// Pinyin is text in lower-case pinyin initials ("社保缴纳" → "sbjn") and in full pinyin without
// tones ("shebaojiaona"); letters and digits are kept as they are. Results are cached, since a
// hall's service names are few and read on every search.
func Pinyin(text string) (initials, full string) {
	if v, ok := initialsCache.Load(text); ok {
		p := v.([2]string)
		return p[0], p[1]
	}
	var ib, fb strings.Builder
	a := pinyin.NewArgs()
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			ps := pinyin.SinglePinyin(r, a)
			if len(ps) > 0 && ps[0] != "" {
				ib.WriteByte(ps[0][0])
				fb.WriteString(ps[0])
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			lr := unicode.ToLower(r)
			ib.WriteRune(lr)
			fb.WriteRune(lr)
		}
	}
	p := [2]string{ib.String(), fb.String()}
	initialsCache.Store(text, p)
	return p[0], p[1]
}

// Search ranks services for a citizen's query: words of the name first, then pinyin initials
// or full pinyin of the name, then the keywords, category and description. An empty query
// finds nothing.
func Search(services []*Service, query string) []*Service {
	query = strings.ToLower(strings.TrimSpace(query))
	if query == "" {
		return nil
	}
	plain := strings.ReplaceAll(query, " ", "")
	type hit struct {
		s    *Service
		rank int
	}
	var hits []hit
	for _, s := range services {
		rank := 0
		ni, nf := Pinyin(s.Name)
		switch {
		case strings.Contains(strings.ToLower(s.Name), query):
			rank = 1
		case isASCII(plain) && (strings.HasPrefix(ni, plain) || strings.HasPrefix(nf, plain)):
			rank = 2
		case isASCII(plain) && (strings.Contains(ni, plain) || strings.Contains(nf, plain)):
			rank = 3
		default:
			for _, kw := range strings.FieldsFunc(s.Keywords, func(r rune) bool { return r == ',' || r == '，' || r == '、' || unicode.IsSpace(r) }) {
				ki, kf := Pinyin(kw)
				if strings.Contains(strings.ToLower(kw), query) || (isASCII(plain) && (strings.HasPrefix(ki, plain) || strings.HasPrefix(kf, plain))) {
					rank = 4
					break
				}
			}
			if rank == 0 && (strings.Contains(s.Category, query) || strings.Contains(s.Description, query) || strings.Contains(strings.ToLower(s.NameEN), query)) {
				rank = 5
			}
		}
		if rank > 0 {
			hits = append(hits, hit{s, rank})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.rank - b.rank })
	out := make([]*Service, len(hits))
	for i, h := range hits {
		out[i] = h.s
	}
	return out
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return s != ""
}

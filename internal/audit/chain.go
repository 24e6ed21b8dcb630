package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/qhall/qhall/internal/store"
)

// chainOf names the chain of a hall's entries ("org" for what belongs to no hall).
func chainOf(hall int64) string {
	if hall == 0 {
		return "org"
	}
	return "hall:" + strconv.FormatInt(hall, 10)
}

// chained is an entry's canonical fields, the ones its hash covers.
type chained struct {
	Chain    string
	Seq      int64
	At       int64
	StaffID  int64
	Username string
	HallID   int64
	Action   string
	Target   string
	Detail   string
}

// hash is SHA-256 over the previous entry's hash and this entry's fields, encoded as a JSON
// array (unambiguous: every string is quoted and escaped), in hex.
func (e chained) hash(prev string) string {
	b, _ := json.Marshal([]any{prev, e.Chain, e.Seq, e.At, e.StaffID, e.Username, e.HallID, e.Action, e.Target, e.Detail})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Problem is the first place a chain does not hold.
type Problem struct {
	Chain string `json:"chain"`
	Seq   int64  `json:"seq"`
	ID    int64  `json:"id,omitempty"` // the entry's row, when it is there
	What  string `json:"what"`         // "altered", "missing" or "head"
}

func (p Problem) String() string {
	switch p.What {
	case "altered":
		return fmt.Sprintf("chain %s: entry %d (id %d) was altered", p.Chain, p.Seq, p.ID)
	case "missing":
		return fmt.Sprintf("chain %s: entry %d is missing", p.Chain, p.Seq)
	}
	return fmt.Sprintf("chain %s: entries after %d are missing (the head says more were written)", p.Chain, p.Seq)
}

// Verify walks every chain from its first entry and returns the first problem of each chain (an
// entry whose hash does not match its fields and the hash before it, a gap in the places, or a
// head that is ahead of the last entry), and how many entries it checked. Entries written
// before the chain existed (chain ”) are not checked. Whoever can rewrite the database can
// also rewrite the whole chain from some point on: keep a copy of the heads (GET /api/v1/audit
// shows them; `qhall audit verify` prints them) elsewhere to detect that too.
func Verify(ctx context.Context, q store.Querier) ([]Problem, int, error) {
	heads := map[string]int64{}
	rows, err := q.Query(ctx, "SELECT chain, seq FROM audit_chain ORDER BY chain")
	if err != nil {
		return nil, 0, fmt.Errorf("audit: verify: %w", err)
	}
	var chains []string
	for rows.Next() {
		var c string
		var s int64
		if err := rows.Scan(&c, &s); err != nil {
			rows.Close()
			return nil, 0, err
		}
		heads[c] = s
		chains = append(chains, c)
	}
	rows.Close()
	var out []Problem
	n := 0
	for _, c := range chains {
		p, k, err := verifyChain(ctx, q, c, heads[c])
		n += k
		if err != nil {
			return nil, n, err
		}
		if p != nil {
			out = append(out, *p)
		}
	}
	return out, n, nil
}

func verifyChain(ctx context.Context, q store.Querier, chain string, head int64) (*Problem, int, error) {
	rows, err := q.Query(ctx, `SELECT id, seq, at, COALESCE(staff_id, 0), username, COALESCE(hall_id, 0), action, target, detail, prev_hash, hash
		FROM audit_log WHERE chain = ? ORDER BY seq`, chain)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: verify %s: %w", chain, err)
	}
	defer rows.Close()
	prev, want, n := "", int64(1), 0
	for rows.Next() {
		var e chained
		var id int64
		var prevHash, h string
		if err := rows.Scan(&id, &e.Seq, &e.At, &e.StaffID, &e.Username, &e.HallID, &e.Action, &e.Target, &e.Detail, &prevHash, &h); err != nil {
			return nil, n, err
		}
		n++
		e.Chain = chain
		if e.Seq != want {
			return &Problem{Chain: chain, Seq: want, What: "missing"}, n, nil
		}
		if prevHash != prev || e.hash(prev) != h {
			return &Problem{Chain: chain, Seq: e.Seq, ID: id, What: "altered"}, n, nil
		}
		prev, want = h, want+1
	}
	if err := rows.Err(); err != nil {
		return nil, n, err
	}
	if want-1 < head {
		return &Problem{Chain: chain, Seq: want - 1, What: "head"}, n, nil
	}
	return nil, n, nil
}

// Head is a chain's last place and hash: a copy kept elsewhere shows a rewritten tail.
type Head struct {
	Chain string `json:"chain"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
}

// Heads are every chain's heads.
func Heads(ctx context.Context, q store.Querier) ([]Head, error) {
	rows, err := q.Query(ctx, "SELECT chain, seq, head FROM audit_chain ORDER BY chain")
	if err != nil {
		return nil, fmt.Errorf("audit: heads: %w", err)
	}
	defer rows.Close()
	var out []Head
	for rows.Next() {
		var h Head
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

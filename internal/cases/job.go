package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Sweep is the scheduled job: a case under review past the review node's limit without a
// notice is accepted (行政许可法 art. 32: a late notice counts as accepted on receipt), and every
// node that went red is recorded once (case_overdue: one row per case and node), with an audit
// line. It works from the data, so a repeated run does nothing twice. It returns how many nodes
// it recorded and how many cases it accepted.
func (s *Service) Sweep(ctx context.Context, now time.Time) (red, accepted int, err error) {
	halls, err := org.Halls(ctx, s.DB)
	if err != nil {
		return 0, 0, fmt.Errorf("cases: sweep: %w", err)
	}
	for _, h := range halls {
		r, a, err := s.sweepHall(ctx, h, now)
		if err != nil {
			return red, accepted, fmt.Errorf("cases: sweep hall %d: %w", h.ID, err)
		}
		red, accepted = red+r, accepted+a
	}
	return red, accepted, nil
}

func (s *Service) sweepHall(ctx context.Context, h *org.Hall, now time.Time) (red, accepted int, err error) {
	rows, err := s.DB.Query(ctx, "SELECT id FROM cases WHERE hall_id = ? AND state NOT IN ('rejected', 'completed', 'delivered')", h.ID)
	if err != nil {
		return 0, 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		err := s.DB.InTx(ctx, func(tx *store.Tx) error {
			c, err := load(ctx, tx, id, true)
			if err != nil {
				return err
			}
			cal, err := calendar.Load(ctx, tx, h.ID)
			if err != nil {
				return err
			}
			c.finish(cal, h, now, s.Limits)
			for _, k := range c.Clocks {
				if k.Stopped || k.Level != calendar.Red {
					continue
				}
				if k.Node == NodeReview && c.State == Review && c.Notice == nil {
					if err := s.stepTx(ctx, tx, staff.System, c, StepInput{Step: StepAutoAccept, Note: "逾期未一次性告知，视为受理"}, now); err != nil {
						return err
					}
					accepted++
				}
				res, err := tx.Exec(ctx, "INSERT INTO case_overdue (case_id, node, due, at) VALUES (?, ?, ?, ?) ON CONFLICT (case_id, node) DO NOTHING",
					c.ID, string(k.Node), k.Due.String(), now.UnixMilli())
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 1 {
					red++
					if err := audit.Record(ctx, tx, now, staff.System, c.HallID, "case.overdue", "case:"+c.Number,
						map[string]any{"node": k.Node, "due": k.Due.String()}); err != nil {
						return err
					}
					if err := events.Publish(ctx, tx, Topic, c.HallID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return red, accepted, err
		}
	}
	return red, accepted, nil
}

// Overdue lists the nodes the job recorded for a case.
func Overdue(ctx context.Context, q store.Querier, caseID int64) ([]Node, error) {
	rows, err := q.Query(ctx, "SELECT node FROM case_overdue WHERE case_id = ? ORDER BY node", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, Node(n))
	}
	return out, rows.Err()
}

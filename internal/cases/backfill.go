package cases

import (
	"context"
	"fmt"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// OpenWithoutTicket opens a case that no ticket of this hall brought: a matter taken in before
// qhall ran (the back office's backfill) or the demo's older cases. Everything after is as for
// a case opened at the counter.
func (s *Service) OpenWithoutTicket(ctx context.Context, a staff.Actor, hall, service int64, in OpenInput) (*Case, error) {
	for _, f := range [][2]string{{"applicant", in.Applicant}, {"phone", in.Phone}, {"assist_note", in.AssistNote}} {
		if err := checkText(f[0], f[1], false); err != nil {
			return nil, err
		}
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if !authz.InHall(a, authz.CaseWork, hall) {
			return apperr.New(apperr.Forbidden, "case_of_other_hall")
		}
		svc, err := org.GetServiceAny(ctx, tx, service)
		if err != nil {
			return err
		}
		if svc.HallID != hall {
			return apperr.New(apperr.NotFound, "service_not_found", service)
		}
		id, err = create(ctx, tx, a, s.Now(), hall, service, 0, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("cases: open without ticket: %w", err)
	}
	return s.Get(ctx, a, id)
}

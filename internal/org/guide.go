package org

import (
	"context"
	"fmt"

	"github.com/qhall/qhall/internal/store"
)

// Guide is a service's public guide (办事指南): the service with its materials, the hall it is
// done at (address, hours) and the windows that serve it. The one-time notice (一次性告知书) is
// built from the same Guide, so what a citizen reads at home and what a clerk prints never
// disagree.
type Guide struct {
	Service *Service `json:"service"`
	Hall    *Hall    `json:"hall"`
	Windows []int    `json:"windows"` // numbers of the windows in service that serve it
}

// GetGuide is the guide of a service, retired or not (a case opened before it was retired still
// needs its notice).
func GetGuide(ctx context.Context, q store.Querier, service int64) (*Guide, error) {
	s, err := GetServiceAny(ctx, q, service)
	if err != nil {
		return nil, err
	}
	if s.Materials, err = Materials(ctx, q, service); err != nil {
		return nil, fmt.Errorf("org: guide: %w", err)
	}
	h, err := GetHall(ctx, q, s.HallID)
	if err != nil {
		return nil, err
	}
	g := &Guide{Service: s, Hall: h, Windows: []int{}}
	rows, err := q.Query(ctx, `SELECT w.number FROM windows w JOIN window_services ws ON ws.window_id = w.id
		WHERE ws.service_id = ? AND w.active = 1 ORDER BY w.number`, service)
	if err != nil {
		return nil, fmt.Errorf("org: guide: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		g.Windows = append(g.Windows, n)
	}
	return g, rows.Err()
}

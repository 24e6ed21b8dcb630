package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
)

// A service may ask for the citizen's resident ID number when booking an appointment
// (services.needs_id, migration 00008). Kept apart from Service's columns so the back office
// and the appointments change the catalogue's code in separate places.

// ServiceNeedsID tells whether booking the service asks for an ID number.
func ServiceNeedsID(ctx context.Context, q store.Querier, service int64) (bool, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT needs_id FROM services WHERE id = ?", service).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, apperr.New(apperr.NotFound, "service_not_found", service)
	}
	return v == 1, err
}

// ServicesNeedingID are the ids of the hall's services that ask for an ID number.
func ServicesNeedingID(ctx context.Context, q store.Querier, hall int64) ([]int64, error) {
	return store.Int64s(ctx, q, "SELECT id FROM services WHERE hall_id = ? AND needs_id = 1 ORDER BY id", hall)
}

// SetServiceNeedsID sets whether booking the service asks for an ID number.
func SetServiceNeedsID(ctx context.Context, tx *store.Tx, who audit.Who, now time.Time, service int64, needs bool) error {
	var hall int64
	if err := tx.QueryRow(ctx, "SELECT hall_id FROM services WHERE id = ?", service).Scan(&hall); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "service_not_found", service)
		}
		return err
	}
	v := 0
	if needs {
		v = 1
	}
	if _, err := tx.Exec(ctx, "UPDATE services SET needs_id = ? WHERE id = ?", v, service); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, who, hall, "service.needs_id", "service:"+strconv.FormatInt(service, 10), map[string]bool{"needs_id": needs})
}

package appointments

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/notify"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// What staff and the scheduled jobs do with bookings.

// Entry is a booking in a hall's list for staff: no token, no code, personal data masked.
type Entry struct {
	ServiceID   int64     `json:"service"`
	ServiceName string    `json:"service_name"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	State       string    `json:"state"`
	Name        string    `json:"name"`
	Phone       string    `json:"phone"`
	IDNumber    string    `json:"id_number,omitempty"`
	CheckedInAt time.Time `json:"checked_in_at,omitzero"`
}

// Day lists a hall's bookings of a day (YYYY-MM-DD) by slot, for its staff.
func (s *Service) Day(ctx context.Context, a staff.Actor, hallID int64, day string) ([]Entry, error) {
	if !authz.InHall(a, authz.AppointmentsRead, hallID) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	hall, err := org.GetHall(ctx, s.DB, hallID)
	if err != nil {
		return nil, err
	}
	d, err := ParseDay(day, hall.Location())
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT a.service_id, s.name, a.start_at, a.end_at, a.state, a.name, a.phone, a.id_masked, a.checked_in_at
		FROM appointments a JOIN services s ON s.id = a.service_id WHERE a.hall_id = ? AND a.day = ? ORDER BY a.start_at, a.id`,
		hallID, d.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var start, end, in int64
		var name, phone string
		if err := rows.Scan(&e.ServiceID, &e.ServiceName, &start, &end, &e.State, &name, &phone, &e.IDNumber, &in); err != nil {
			return nil, err
		}
		e.Start, e.End = time.UnixMilli(start), time.UnixMilli(end)
		if in > 0 {
			e.CheckedInAt = time.UnixMilli(in)
		}
		e.Name, e.Phone = privacy.MaskName(name), privacy.Mask(phone)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SlotCapacity is one slot's capacity set by hand.
type SlotCapacityIn struct {
	Start    time.Time `json:"start"`
	Capacity int       `json:"capacity"`
}

// SetCapacity sets the capacity of slots of a service on a day; a capacity below the places
// already booked is refused (those citizens keep their bookings).
func (s *Service) SetCapacity(ctx context.Context, a staff.Actor, hallID, serviceID int64, day string, in []SlotCapacityIn) ([]Slot, error) {
	if !authz.InHall(a, authz.AppointmentsManage, hallID) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	if len(in) == 0 || len(in) > 288 {
		return nil, apperr.New(apperr.Invalid, "bad_request", "slots")
	}
	var out []Slot
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		hall, err := org.GetHall(ctx, tx, hallID)
		if err != nil {
			return err
		}
		d, err := ParseDay(day, hall.Location())
		if err != nil {
			return err
		}
		slots, err := s.slots(ctx, tx, hall, serviceID, d)
		if err != nil {
			return err
		}
		byStart := map[int64]Slot{}
		for _, x := range slots {
			byStart[x.Start.UnixMilli()] = x
		}
		for _, c := range in {
			x, ok := byStart[c.Start.UnixMilli()]
			if !ok {
				return apperr.New(apperr.NotFound, "appt_no_such_slot")
			}
			if c.Capacity < 0 || c.Capacity > 1000 {
				return apperr.New(apperr.Invalid, "bad_request", "capacity")
			}
			if c.Capacity < x.Booked {
				return apperr.New(apperr.Conflict, "appt_capacity_below_booked", x.Booked)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO appointment_slots (hall_id, service_id, day, start_at, end_at, capacity, booked, manual)
				VALUES (?, ?, ?, ?, ?, ?, 0, 1) ON CONFLICT (service_id, start_at) DO UPDATE SET capacity = excluded.capacity, manual = 1`,
				hallID, serviceID, d.Format(time.DateOnly), x.Start.UnixMilli(), x.End.UnixMilli(), c.Capacity); err != nil {
				return err
			}
		}
		now := s.Now()
		if err := audit.Record(ctx, tx, now, a, hallID, "appointments.capacity", fmt.Sprintf("service:%d", serviceID),
			map[string]any{"day": day, "slots": in}); err != nil {
			return err
		}
		if out, err = s.slots(ctx, tx, hall, serviceID, d); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hallID)
	})
	return out, wrap("set capacity", err)
}

// MarkNoShows marks the bookings whose check-in span has passed without a check-in, and
// suspends the booking of whoever reaches the hall's limit of no-shows. It is idempotent: a
// booking is marked once (guarded by its state), a suspension made once per reaching.
func (s *Service) MarkNoShows(ctx context.Context, now time.Time) (int, error) {
	type due struct {
		id, hall, start int64
		phoneKey, idKey string
	}
	rows, err := s.DB.Query(ctx, "SELECT id, hall_id, start_at, phone_key, id_key FROM appointments WHERE state = 'booked' AND start_at < ? ORDER BY start_at LIMIT 1000",
		now.UnixMilli())
	if err != nil {
		return 0, wrap("no-shows", err)
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.hall, &d.start, &d.phoneKey, &d.idKey); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	marked := 0
	for _, d := range list {
		err := s.DB.InTx(ctx, func(tx *store.Tx) error {
			set, err := GetSettings(ctx, tx, d.hall)
			if err != nil {
				return err
			}
			if _, until := set.Span(time.UnixMilli(d.start)); !now.After(until) {
				return nil
			}
			res, err := tx.Exec(ctx, "UPDATE appointments SET state = 'no_show', changed_at = ? WHERE id = ? AND state = 'booked'", now.UnixMilli(), d.id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			marked++
			if err := audit.Record(ctx, tx, now, staff.System, d.hall, "appointment.no_show", fmt.Sprintf("appointment:%d", d.id), nil); err != nil {
				return err
			}
			if err := suspendIfDue(ctx, tx, set, now, d.phoneKey, d.idKey); err != nil {
				return err
			}
			return events.Publish(ctx, tx, Topic, d.hall)
		})
		if err != nil {
			return marked, wrap("no-shows", err)
		}
	}
	return marked, nil
}

func suspendIfDue(ctx context.Context, tx *store.Tx, set Settings, now time.Time, phoneKey, idKey string) error {
	rows, err := tx.Query(ctx, `SELECT start_at FROM appointments WHERE state = 'no_show' AND start_at > ?
		AND (phone_key = ? OR (id_key <> '' AND id_key = ?))`, now.AddDate(0, 0, -set.NoShowDays).UnixMilli(), phoneKey, idKey)
	if err != nil {
		return err
	}
	var times []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			rows.Close()
			return err
		}
		times = append(times, time.UnixMilli(at))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// A suspension runs from the no-show that reached the limit (the latest one, now marked).
	suspended, _ := set.Suspended(times, now)
	if !suspended {
		return nil
	}
	var active int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM appointment_suspensions WHERE person_key IN (?, ?) AND until_at > ?",
		phoneKey, idKey, now.UnixMilli()).Scan(&active); err != nil || active > 0 {
		return err
	}
	until := now.AddDate(0, 0, set.SuspendDays)
	for _, k := range []string{phoneKey, idKey} {
		if k == "" {
			continue
		}
		if _, err := tx.Exec(ctx, "INSERT INTO appointment_suspensions (person_key, since, until_at, noshows) VALUES (?, ?, ?, ?)",
			k, now.UnixMilli(), until.UnixMilli(), len(times)); err != nil {
			return err
		}
	}
	return nil
}

// ReminderKind is the notification kind of the reminder the day before.
const ReminderKind = "appointment.reminder"

// QueueReminders queues the reminder of every live booking whose slot is tomorrow in its
// hall's zone; each booking's reminder is queued once (notify's unique (kind, ref)).
func (s *Service) QueueReminders(ctx context.Context, now time.Time) (int, error) {
	type due struct {
		id, hall, start             int64
		phone, code, service, hname string
	}
	rows, err := s.DB.Query(ctx, `SELECT a.id, a.hall_id, a.start_at, a.phone, a.code, s.name, h.name FROM appointments a
		JOIN services s ON s.id = a.service_id JOIN halls h ON h.id = a.hall_id
		WHERE a.state = 'booked' AND a.start_at > ? AND a.start_at < ? ORDER BY a.id LIMIT 5000`,
		now.UnixMilli(), now.Add(50*time.Hour).UnixMilli())
	if err != nil {
		return 0, wrap("reminders", err)
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.hall, &d.start, &d.phone, &d.code, &d.service, &d.hname); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	queued := 0
	for _, d := range list {
		hall, err := org.GetHall(ctx, s.DB, d.hall)
		if err != nil {
			return queued, err
		}
		loc := hall.Location()
		start := time.UnixMilli(d.start).In(loc)
		tomorrow := now.In(loc).AddDate(0, 0, 1).Format(time.DateOnly)
		if start.Format(time.DateOnly) != tomorrow {
			continue
		}
		set, err := GetSettings(ctx, s.DB, d.hall)
		if err != nil {
			return queued, err
		}
		err = s.DB.InTx(ctx, func(tx *store.Tx) error {
			text := fmt.Sprintf("【%s】您预约了明天 %s 的“%s”，预约码 %s。请在预约时间前 %d 分钟至后 %d 分钟内到大厅自助机签到；如不能前来，请提前取消。",
				d.hname, start.Format("01月02日 15:04"), d.service, d.code, set.CheckinBeforeMin, set.CheckinAfterMin)
			ok, err := notify.Enqueue(ctx, tx, now, notify.Message{Kind: ReminderKind, Ref: fmt.Sprintf("appointment:%d", d.id),
				Recipient: d.phone, Text: text, Data: map[string]any{"hall": d.hall, "start": start.Format(time.RFC3339), "code": d.code}})
			if ok {
				queued++
			}
			return err
		})
		if err != nil {
			return queued, wrap("reminders", err)
		}
	}
	return queued, nil
}

// SetSettings sets a hall's booking rules (whoever manages the hall's appointments).
func (s *Service) SetSettings(ctx context.Context, a staff.Actor, hallID int64, set Settings) (Settings, error) {
	if !authz.InHall(a, authz.AppointmentsManage, hallID) {
		return Settings{}, apperr.New(apperr.Forbidden, "forbidden")
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error { return PutSettings(ctx, tx, a, s.Now(), hallID, set) })
	if err != nil {
		return Settings{}, wrap("settings", err)
	}
	return set, nil
}

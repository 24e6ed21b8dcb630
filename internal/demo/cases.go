package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// departments are the back-office departments of each demo hall (前台综合受理、后台分类审批);
// the first has the hall's department handler (handler1, handler2).
var departments = []struct{ name, en string }{
	{"社保经办科", "Social insurance office"},
	{"住房公积金管理科", "Housing fund office"},
	{"综合审批科", "General approvals office"},
}

// loadDepartments adds the departments of every demo hall and a handler in the first.
func loadDepartments(ctx context.Context, tx *store.Tx, hash string, now time.Time) error {
	halls, err := org.Halls(ctx, tx)
	if err != nil {
		return err
	}
	for _, h := range halls {
		var first int64
		for i, d := range departments {
			id, err := cases.CreateDepartment(ctx, tx, staff.System, now, cases.Department{HallID: h.ID, Name: d.name, NameEN: d.en})
			if err != nil {
				return err
			}
			if i == 0 {
				first = id
			}
		}
		handler, err := staff.Create(ctx, tx, staff.System, now, staff.Account{Username: fmt.Sprintf("handler%d", h.Number),
			Name: []string{"钱科长", "冯科长"}[(h.Number+1)%2], Role: staff.Handler, HallID: h.ID, PasswordHash: hash})
		if err != nil {
			return err
		}
		if err := cases.SetMember(ctx, tx, staff.System, now, h.ID, handler, first); err != nil {
			return err
		}
	}
	return nil
}

// demoDesk is who takes the demo's case steps: the system, with the front desk's reach.
var demoDesk = staff.Actor{Username: "system", Name: "演示数据", Role: staff.Admin}

// caseRun takes the steps of one demo case, each at its own moment of the demo's clock.
type caseRun struct {
	ctx   context.Context
	svc   *cases.Service
	at    time.Time
	hall  int64
	err   error
	c     *cases.Case
	mats  map[int64][]org.Material
	byPfx map[string]*org.Service
}

func (r *caseRun) open(prefix, applicant string, at time.Time) *caseRun {
	r.at = at
	if r.err != nil {
		return r
	}
	s := r.byPfx[prefix]
	if s == nil {
		r.err = fmt.Errorf("demo cases: no service %s", prefix)
		return r
	}
	r.c, r.err = r.svc.OpenWithoutTicket(r.ctx, demoDesk, r.hall, s.ID, cases.OpenInput{Applicant: applicant, Phone: "13800138000"})
	return r
}

// check records the checklist: every item ok but those named missing or faulty (note).
func (r *caseRun) check(after time.Duration, short map[int]string) *caseRun {
	if r.err != nil {
		return r
	}
	r.at = r.at.Add(after)
	var in cases.CheckInput
	for i := range r.mats[r.c.ServiceID] {
		st, note := cases.OK, ""
		if n, ok := short[i]; ok {
			st, note = cases.Missing, n
			if n != "" {
				st = cases.Faulty
			}
		}
		in.Items = append(in.Items, struct {
			Position int    `json:"position"`
			Status   string `json:"status"`
			Note     string `json:"note"`
		}{i, st, note})
	}
	r.c, r.err = r.svc.Check(r.ctx, demoDesk, r.c.ID, in)
	return r
}

func (r *caseRun) notice(after time.Duration) *caseRun {
	if r.err == nil {
		r.at = r.at.Add(after)
		r.c, r.err = r.svc.IssueNotice(r.ctx, demoDesk, r.c.ID)
	}
	return r
}

func (r *caseRun) step(after time.Duration, in cases.StepInput) *caseRun {
	if r.err == nil {
		r.at = r.at.Add(after)
		r.c, r.err = r.svc.Step(r.ctx, demoDesk, r.c.ID, in)
	}
	return r
}

// loadCases puts cases in every state in each demo hall, as of now, so the work lists, the
// counter's panel and the notice are not empty on first start: each opened in the past and
// taken through the cases package's own steps on a clock set to that moment.
func loadCases(ctx context.Context, db *store.DB, now time.Time) error {
	halls, err := org.Halls(ctx, db)
	if err != nil {
		return err
	}
	for _, h := range halls {
		if err := loadHallCases(ctx, db, h, now); err != nil {
			return fmt.Errorf("demo cases of hall %d: %w", h.Number, err)
		}
	}
	return nil
}

func loadHallCases(ctx context.Context, db *store.DB, h *org.Hall, now time.Time) error {
	svcs, err := org.Services(ctx, db, h.ID)
	if err != nil {
		return err
	}
	depts, err := cases.Departments(ctx, db, h.ID)
	if err != nil || len(depts) < 2 {
		return fmt.Errorf("departments: %v (%d)", err, len(depts))
	}
	wins, err := org.Windows(ctx, db, h.ID)
	if err != nil || len(wins) == 0 {
		return fmt.Errorf("windows: %v", err)
	}
	cal, err := calendar.Load(ctx, db, h.ID)
	if err != nil {
		return err
	}
	r := &caseRun{ctx: ctx, hall: h.ID, mats: map[int64][]org.Material{}, byPfx: map[string]*org.Service{}}
	for _, s := range svcs {
		r.mats[s.ID], r.byPfx[s.Prefix] = s.Materials, s
	}
	r.svc = &cases.Service{DB: db, Now: func() time.Time { return r.at }, Limits: cases.DefaultLimits}
	loc := h.Location()
	today := calendar.DateOf(now.In(loc))
	// daysAgo is 10:00 on the day n calendar days before today (never after now).
	daysAgo := func(n int) time.Time {
		d := today.AddDays(-n)
		t := time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, loc)
		if t.After(now) {
			t = now.Add(-time.Hour)
		}
		return t
	}
	// accepted is the most recent day an acceptance must have been on for the promised limit to
	// stand at want today, on the hall's calendar.
	accepted := func(limit int, want calendar.Level) int {
		for n := 1; n < 90; n++ {
			if cases.Level(cal.Progress(today.AddDays(-n), limit, nil, today), today, calendar.WarnShare) == want {
				return n
			}
		}
		return 60
	}
	ok := map[int]string{}
	h1 := h.Number == 1
	// 接待咨询 and 审核受理: today.
	r.open("C", "赵一", now.Add(-40*time.Minute))
	r.open("A", "钱二", now.Add(-2*time.Hour)).check(10*time.Minute, map[int]string{2: ""})
	// 补正: two items missing, one notice for both.
	r.open("E", "孙三", daysAgo(2)).check(15*time.Minute, map[int]string{2: "", 4: ""}).notice(5 * time.Minute)
	// at a department, in time.
	r.open("B", "李四", daysAgo(3)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
		step(time.Hour, cases.StepInput{Step: cases.StepAssign, Department: depts[0].ID})
	// yellow and red by date: the promised limit nearly used, and passed.
	e := accepted(r.byPfx["E"].TimeLimitDays, calendar.Yellow)
	r.open("E", "周五", daysAgo(e)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
		step(time.Hour, cases.StepInput{Step: cases.StepAssign, Department: depts[1].ID})
	d := accepted(r.byPfx["D"].TimeLimitDays, calendar.Red)
	r.open("D", "吴六", daysAgo(d)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
		step(time.Hour, cases.StepInput{Step: cases.StepAssign, Department: depts[1].ID})
	if h1 {
		// suspended for testing (the clock stops), extended once, accepted with an item to follow.
		r.open("L", "郑七", daysAgo(6)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
			step(time.Hour, cases.StepInput{Step: cases.StepAssign, Department: depts[2].ID}).
			step(48*time.Hour, cases.StepInput{Step: cases.StepSuspend, Reason: "testing", Note: "房屋安全检测"})
		r.open("B", "王八", daysAgo(12)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
			step(time.Hour, cases.StepInput{Step: cases.StepAssign, Department: depts[0].ID}).
			step(72*time.Hour, cases.StepInput{Step: cases.StepExtend, Note: "林主任批准：跨省核验未返回"})
		if due, _ := cal.AddWorkdays(today, 3); r.err == nil {
			r.open("E", "冯九", daysAgo(1)).check(10*time.Minute, map[int]string{4: ""}).
				step(5*time.Minute, cases.StepInput{Step: cases.StepAcceptLack, Item: "首付款发票", Due: due.String()})
		}
		// 办结 waiting at the pickup window, 出件, 不予受理.
		r.open("D", "陈十", daysAgo(2)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
			step(20*time.Hour, cases.StepInput{Step: cases.StepComplete, Note: "提取款已核准，凭回执领取"})
		r.open("A", "褚十一", daysAgo(3)).check(10*time.Minute, ok).step(5*time.Minute, cases.StepInput{Step: cases.StepAccept}).
			step(3*time.Hour, cases.StepInput{Step: cases.StepComplete}).
			step(20*time.Hour, cases.StepInput{Step: cases.StepDeliver, Window: wins[len(wins)-1].ID})
		r.open("K", "卫十二", daysAgo(1)).check(10*time.Minute, ok).
			step(5*time.Minute, cases.StepInput{Step: cases.StepReject, Rule: "申请人不属于本辖区义务教育入学对象（《义务教育法》第十二条）"})
	}
	return r.err
}

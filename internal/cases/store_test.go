package cases_test

import (
	"context"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/storetest"
)

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

// TestCaseFromCounterToPickup: two missing materials, one notice listing both, a second notice
// refused, the citizen back with the code at the kiosk, accepted, assigned, suspended, extended,
// completed and delivered; then the job: a late notice counts as accepted, red recorded once.
func TestCaseFromCounterToPickup(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			clock := storetest.NewClock(storetest.Tuesday10)
			db := storetest.OpenDemo(t, e, "pw", clock.Now())
			q := &queue.Engine{DB: db, Now: clock.Now}
			s := &cases.Service{DB: db, Queue: q, Now: clock.Now, Limits: cases.DefaultLimits}
			clerk := storetest.Actor(t, db, "clerk1-2")
			sup := storetest.Actor(t, db, "sup1")
			win := storetest.WindowID(t, db, 1, 2)
			svc := storetest.ServiceID(t, db, 1, "A")
			hall := int64(1)
			call := func() *queue.Ticket {
				t.Helper()
				tk, err := q.Call(ctx, clerk, win)
				if err != nil || tk == nil {
					t.Fatalf("call: %v %v", tk, err)
				}
				return tk
			}
			if _, err := q.Issue(ctx, hall, svc, "", "kiosk"); err != nil {
				t.Fatal(err)
			}
			if err := q.Open(ctx, clerk, win); err != nil {
				t.Fatal(err)
			}
			tk := call()
			c, err := s.Open(ctx, clerk, cases.OpenInput{Ticket: tk.ID, Applicant: "张三丰", Phone: "13812345678"})
			if err != nil {
				t.Fatal(err)
			}
			if c.State != cases.Consult || c.Applicant != "张**" || c.Phone == "13812345678" {
				t.Fatalf("opened: %+v", c)
			}
			if _, err := s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepAccept}); err == nil {
				t.Fatal("accepted a case in consult")
			}
			var in cases.CheckInput
			in.Items = append(in.Items, struct {
				Position int    `json:"position"`
				Status   string `json:"status"`
				Note     string `json:"note"`
			}{0, cases.OK, ""}, struct {
				Position int    `json:"position"`
				Status   string `json:"status"`
				Note     string `json:"note"`
			}{1, cases.Missing, "未带社保卡"}, struct {
				Position int    `json:"position"`
				Status   string `json:"status"`
				Note     string `json:"note"`
			}{2, cases.Faulty, "登记表未签字"})
			if c, err = s.Check(ctx, clerk, c.ID, in); err != nil {
				t.Fatal(err)
			}
			_, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepAccept})
			wantCode(t, err, "case_materials_short")
			if c, err = s.IssueNotice(ctx, clerk, c.ID); err != nil {
				t.Fatal(err)
			}
			n := c.Notice
			if c.State != cases.Correction || n == nil || len(n.Items) != 2 || n.Items[0].Name != "社会保障卡" || n.Items[1].Status != cases.Faulty ||
				n.LegalBasis == "" || n.Place.Hall == "" || n.Code == "" || n.BringBy.IsZero() {
				t.Fatalf("notice: %+v %+v", c.State, n)
			}
			_, err = s.IssueNotice(ctx, clerk, c.ID)
			wantCode(t, err, "case_notice_once")
			if _, err := q.Finish(ctx, clerk, win); err != nil {
				t.Fatal(err)
			}

			// Back two days later with the notice: the kiosk gives a ticket and the case goes on.
			clock.Add(48 * time.Hour)
			_, err = s.Checkin(ctx, 2, n.Code)
			wantCode(t, err, "notice_not_found")
			tk2, err := s.Checkin(ctx, hall, " "+n.Code[:4]+"-"+n.Code[4:]+" ")
			if err != nil {
				t.Fatal(err)
			}
			if tk2.ServiceID != svc || tk2.Token == "" {
				t.Fatalf("checkin ticket: %+v", tk2)
			}
			_, err = s.Checkin(ctx, hall, n.Code)
			wantCode(t, err, "case_not_waiting")
			if got := call(); got.ID != tk2.ID {
				t.Fatalf("called %s, want %s", got.Number, tk2.Number)
			}
			c, err = s.ForTicket(ctx, clerk, tk2.ID)
			if err != nil || c == nil || c.State != cases.Review || c.Returns != 1 {
				t.Fatalf("for ticket: %+v %v", c, err)
			}
			if c, err = s.Resume(ctx, clerk, n.Code, tk2.ID); err != nil || c.Returns != 1 {
				t.Fatalf("resume at the counter after the kiosk: %+v %v", c, err)
			}
			for i := range in.Items {
				in.Items[i].Status, in.Items[i].Note = cases.OK, ""
			}
			if _, err = s.Check(ctx, clerk, c.ID, in); err != nil {
				t.Fatal(err)
			}
			if c, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepAccept}); err != nil {
				t.Fatal(err)
			}
			if c.State != cases.Processing || c.Due.IsZero() {
				t.Fatalf("accepted: %+v", c)
			}
			if _, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepExtend}); !apperr.Is(err, "forbidden") {
				t.Fatalf("a clerk extended: %v", err)
			}
			if c, err = s.Step(ctx, sup, c.ID, cases.StepInput{Step: cases.StepExtend, Note: "领导批准"}); err != nil || c.ExtendedDays != cases.ExtendDays {
				t.Fatalf("extend: %+v %v", c, err)
			}
			_, err = s.Step(ctx, sup, c.ID, cases.StepInput{Step: cases.StepExtend})
			wantCode(t, err, "case_extended_once")
			if _, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepSuspend, Reason: "nap"}); !apperr.Is(err, "case_bad_reason") {
				t.Fatalf("bad reason: %v", err)
			}
			if c, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepSuspend, Reason: "testing"}); err != nil || c.State != cases.Suspended {
				t.Fatalf("suspend: %+v %v", c, err)
			}
			clock.Add(24 * time.Hour)
			if c, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepResume}); err != nil {
				t.Fatal(err)
			}
			if c, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepComplete, Note: "已办结"}); err != nil {
				t.Fatal(err)
			}
			_, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepDeliver})
			wantCode(t, err, "case_needs")
			if c, err = s.Step(ctx, clerk, c.ID, cases.StepInput{Step: cases.StepDeliver, Window: win}); err != nil || c.State != cases.Delivered {
				t.Fatalf("deliver: %+v %v", c, err)
			}
			steps := []string{}
			for _, ev := range c.Events {
				steps = append(steps, ev.Step)
			}
			want := "[open review check notice return check accept extend suspend resume complete deliver]"
			if got := fmtSlice(steps); got != want {
				t.Fatalf("timeline %s, want %s", got, want)
			}
			pub, hallOf, err := s.NoticeByCode(ctx, n.Code)
			if err != nil || hallOf != hall || pub.State != cases.Delivered || pub.Notice == nil || pub.Notice.IssuedBy != "" {
				t.Fatalf("public: %+v %v", pub, err)
			}

			// 容缺受理 is refused for an applicant on the 失信 list; a late notice is acceptance.
			tk3, _ := q.Issue(ctx, hall, svc, "", "kiosk")
			if _, err := q.Finish(ctx, clerk, win); err != nil {
				t.Fatal(err)
			}
			if got := call(); got.ID != tk3.ID {
				t.Fatal("wrong ticket")
			}
			c3, err := s.Open(ctx, clerk, cases.OpenInput{Ticket: tk3.ID, Dishonest: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Step(ctx, clerk, c3.ID, cases.StepInput{Step: cases.StepReview}); err != nil {
				t.Fatal(err)
			}
			_, err = s.Step(ctx, clerk, c3.ID, cases.StepInput{Step: cases.StepAcceptLack, Item: "登记表", Due: "2026-12-01"})
			wantCode(t, err, "case_lack_dishonest")
			clock.Add(10 * 24 * time.Hour)
			red, acc, err := s.Sweep(ctx, clock.Now())
			if err != nil || acc < 1 || red < 1 { // the demo's cases under review are late too
				t.Fatalf("sweep: red %d accepted %d %v", red, acc, err)
			}
			again, acc2, err := s.Sweep(ctx, clock.Now())
			if err != nil || again != 0 || acc2 != 0 {
				t.Fatalf("second sweep: red %d accepted %d %v", again, acc2, err)
			}
			if c3, err = s.Get(ctx, clerk, c3.ID); err != nil || c3.State != cases.Processing {
				t.Fatalf("late notice: %+v %v", c3, err)
			}
			nodes, err := cases.Overdue(ctx, db, c3.ID)
			if err != nil || len(nodes) == 0 {
				t.Fatalf("overdue rows: %v %v", nodes, err)
			}
		})
	}
}

func fmtSlice(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

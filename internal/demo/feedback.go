package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// LoadFeedback gives hall 2 (高新区) three weeks of served tickets with their ratings, bad
// ratings' rectifications in every state, complaints in every state and a call-back survey, so
// the work lists and the figures show something on first start. It runs the real services on
// past working days (through their own transactions, after the organisation exists), so every
// row is one the product itself would write. Hall 1 is left without history: the queue's tests
// and the first visitor's tickets start from a clean day there. It costs a few hundred
// transactions, so app runs it on a real first start only (Config.DemoHistory), not in tests.
func LoadFeedback(ctx context.Context, db *store.DB, now time.Time) error {
	halls, err := org.Halls(ctx, db)
	if err != nil || len(halls) < 2 {
		return err
	}
	h := halls[1]
	loc := h.Location()
	cal, err := calendar.Load(ctx, db, h.ID)
	if err != nil {
		return err
	}
	var clock time.Time
	tick := func() time.Time { return clock }
	q := &queue.Engine{DB: db, Now: tick}
	fb := &feedback.Service{DB: db, Now: tick}
	sup, err := staff.ActorOf(ctx, db, "sup2")
	if err != nil {
		return err
	}
	wins, err := org.Windows(ctx, db, h.ID)
	if err != nil {
		return err
	}
	// Levels of the day's services, window by window: mostly content, some fair, a bad one now
	// and then (every 23rd service).
	pattern := []int{5, 5, 4, 5, 3, 4, 5, 5, 4, 4, 5, 4, 3, 5, 4, 5}
	today := calendar.DateOf(now.In(loc))
	var tokens []string
	clerks := map[int64]staff.Actor{}
	n := 0
	for back := 15; back >= 1; back-- {
		day, _ := cal.AddWorkdays(today, -back)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue // a make-up working day (调休): the hall keeps its weekday hours
		}
		base := time.Date(day.Year, day.Month, day.Day, 9, 30, 0, 0, loc)
		for wi, w := range wins[:6] {
			clerk, err := staff.ActorOf(ctx, db, fmt.Sprintf("clerk2-%d", wi+1))
			if err != nil {
				return err
			}
			clerks[clerk.ID] = clerk
			clock = base.Add(time.Duration(wi) * time.Minute)
			if err := q.Open(ctx, clerk, w.ID); err != nil {
				return fmt.Errorf("demo feedback: open: %w", err)
			}
			for k := 0; k < 3; k++ {
				clock = clock.Add(7 * time.Minute)
				tk, err := q.Issue(ctx, h.ID, w.Services[k%len(w.Services)], "", "kiosk")
				if err != nil {
					return fmt.Errorf("demo feedback: issue: %w", err)
				}
				if _, err := q.Call(ctx, clerk, w.ID); err != nil {
					return fmt.Errorf("demo feedback: call: %w", err)
				}
				clock = clock.Add(9 * time.Minute)
				if _, err := q.Finish(ctx, clerk, w.ID); err != nil {
					return fmt.Errorf("demo feedback: finish: %w", err)
				}
				tokens = append(tokens, tk.Token)
				n++
				if n%5 == 0 { // not everyone rates
					continue
				}
				clock = clock.Add(time.Minute)
				level := pattern[n%len(pattern)]
				if n%23 == 0 {
					level = 1 + n/23%2
				}
				in := feedback.RateInput{Level: level, Tags: feedback.TagsFor(level)[:1]}
				if feedback.Bad(level) {
					in.Comment = "等了很久，窗口解释也不清楚"
					if n%3 != 0 {
						in.ContactPhone = fmt.Sprintf("1390000%04d", n)
					}
				}
				if _, err := fb.Rate(ctx, tk.Token, "", in); err != nil {
					return fmt.Errorf("demo feedback: rate: %w", err)
				}
			}
			clock = clock.Add(time.Minute)
			if err := q.Close(ctx, clerk, w.ID); err != nil {
				return fmt.Errorf("demo feedback: close: %w", err)
			}
		}
	}
	clock = now.Add(-time.Hour)
	rects, err := fb.Rectifications(ctx, sup, h.ID, "all")
	if err != nil {
		return err
	}
	// Oldest first: the old ones are done, the newest still wait for contact.
	plans := [][]step{
		{{"contact", feedback.RectInput{Note: "电话联系市民，了解到等候时间过长"}}, {"verify", feedback.RectInput{Verdict: feedback.VerdictReasonable, Cause: "高峰时段窗口开放不足"}},
			{"report", feedback.RectInput{Cause: "高峰时段窗口开放不足", Fix: "周一上午增开一个社保窗口"}}, {"callback", feedback.RectInput{Outcome: "告知已增开窗口", Response: "satisfied"}}},
		{{"contact", feedback.RectInput{Note: "已联系"}}, {"appeal", feedback.RectInput{Note: "市民所办事项不属于本窗口，已引导至正确窗口"}}, {"decide", feedback.RectInput{Decision: feedback.AppealUpheld}}},
		{{"contact", feedback.RectInput{Note: "已联系，市民对解释不满意"}}, {"verify", feedback.RectInput{Verdict: feedback.VerdictNoBasis, Fix: "已说明政策规定，材料须本人原件"}},
			{"callback", feedback.RectInput{Outcome: "再次解释政策", Response: "unsatisfied"}}},
		{{"contact", feedback.RectInput{Note: "已联系"}}, {"verify", feedback.RectInput{Verdict: feedback.VerdictReasonable, Cause: "解释不清"}},
			{"report", feedback.RectInput{Cause: "新人业务不熟", Fix: "组织业务培训"}}},
		{{"contact", feedback.RectInput{Note: "已联系"}}, {"verify", feedback.RectInput{Verdict: feedback.VerdictComplex, FixBy: cal0(cal, today, 8)}}},
		{{"contact", feedback.RectInput{Note: "已联系"}}, {"appeal", feedback.RectInput{Note: "当天系统故障，非个人原因"}}},
		{{"contact", feedback.RectInput{Note: "已联系，市民希望尽快改进"}}},
	}
	// Oldest first: the oldest are closed, then one in each state, the newest still waiting for
	// contact.
	for i := range rects {
		x := rects[len(rects)-1-i]
		left := len(rects) - i // this one and the newer ones
		plan := plans[0]
		switch {
		case left <= 1:
			continue
		case left <= len(plans):
			plan = plans[len(plans)-left+1]
		}
		// Each step a few hours after the last, from the rating on; never past now.
		clock = time.UnixMilli(x.CreatedAt)
		for _, s := range plan {
			clock = clock.Add(5 * time.Hour)
			if clock.After(now) {
				clock = now
			}
			who := sup
			if s.action == "appeal" {
				who = clerks[x.ClerkID]
			}
			if _, err := fb.Act(ctx, who, x.ID, s.action, s.in); err != nil {
				return fmt.Errorf("demo feedback: rectification %s: %w", s.action, err)
			}
		}
	}
	return loadComplaints(ctx, fb, sup, h.ID, tokens, &clock, now)
}

type step struct {
	action string
	in     feedback.RectInput
}

// cal0 is the n-th working day from day, as text.
func cal0(c *calendar.Calendar, day calendar.Date, n int) string {
	d, _ := c.AddWorkdays(day, n)
	return d.String()
}

// loadComplaints takes seven complaints, each left in another state of the flow.
func loadComplaints(ctx context.Context, fb *feedback.Service, sup staff.Actor, hall int64, tokens []string, clock *time.Time, now time.Time) error {
	type cstep struct {
		action string
		in     feedback.ComplaintStep
	}
	sign := cstep{"sign", feedback.ComplaintStep{}}
	classify := cstep{"classify", feedback.ComplaintStep{Class: feedback.ClassGeneral, Department: "综合服务科", Priority: 2}}
	handle := cstep{"handle", feedback.ComplaintStep{Listened: true, Apologised: true, Action: "约谈当事窗口人员，调取录像核实", Result: "情况属实，已批评教育并当面致歉", Upheld: true}}
	ok := cstep{"opinion", feedback.ComplaintStep{Opinion: feedback.OpinionSatisfied}}
	no := cstep{"opinion", feedback.ComplaintStep{Opinion: feedback.OpinionUnsatisfied, Note: "希望有明确的改进时间"}}
	learn := cstep{"learn", feedback.ComplaintStep{Cause: "服务意识不强", Improvement: "纳入本月服务礼仪培训并复查"}}
	cases := []struct {
		in    feedback.ComplaintInput
		steps []cstep
	}{
		{feedback.ComplaintInput{Channel: "onsite", Topic: "attitude", Text: "窗口人员说话不耐烦，让我自己看清楚再来", ContactName: "陈先生", ContactPhone: "13700001111"},
			[]cstep{sign, classify, handle, ok, learn}},
		{feedback.ComplaintInput{Channel: "hotline", Topic: "efficiency", Text: "12345 转办：公积金提取等候两个多小时", ContactName: "刘女士", ContactPhone: "13700002222"},
			[]cstep{sign, {"classify", feedback.ComplaintStep{Class: feedback.ClassMajor, Department: "公积金科", Priority: 1}}, handle, ok}},
		{feedback.ComplaintInput{Channel: "phone", Topic: "process", Text: "同一件事跑了三次，每次说缺不同的材料", ContactName: "赵先生", ContactPhone: "13700003333"},
			[]cstep{sign, classify, handle, no, handle, no}},
		{feedback.ComplaintInput{Channel: "web", Topic: "environment", Text: "等候区空调太冷，座位不够", ContactPhone: "13700004444"},
			[]cstep{sign, classify, {"handle", feedback.ComplaintStep{Listened: true, Action: "调整空调温度，增加座椅", Result: "已调整空调并增加 10 个座位"}}}},
		{feedback.ComplaintInput{Channel: "box", Topic: "discipline", Text: "意见箱：午休前半小时窗口就不接待了"},
			[]cstep{sign, {"classify", feedback.ComplaintStep{Class: feedback.ClassUrgent, Department: "大厅管理办", Priority: 1}}}},
		{feedback.ComplaintInput{Channel: "onsite", Topic: "policy", Text: "不理解为什么必须本人到场", ContactName: "孙女士", ContactPhone: "13700005555"},
			[]cstep{sign}},
		{feedback.ComplaintInput{Channel: "web", Topic: "other", Text: "叫号屏声音太小，听不清", ContactPhone: "13700006666"}, nil},
	}
	for i, c := range cases {
		*clock = now.Add(-time.Duration(len(cases)-i) * 40 * time.Hour)
		var who *staff.Actor
		if c.in.Channel != "web" {
			who = &sup
		}
		if i < len(tokens) && i%2 == 0 {
			c.in.TicketToken = tokens[len(tokens)-1-i*3]
		}
		taken, err := fb.TakeComplaint(ctx, who, hall, c.in)
		if err != nil {
			return fmt.Errorf("demo complaint: %w", err)
		}
		p, err := fb.ComplaintByToken(ctx, taken.Token)
		if err != nil {
			return err
		}
		list, err := fb.Complaints(ctx, sup, hall, "all")
		if err != nil {
			return err
		}
		var id int64
		for _, x := range list {
			if x.Code == p.Code {
				id = x.ID
			}
		}
		for _, s := range c.steps {
			*clock = clock.Add(2 * time.Hour)
			if _, err := fb.ActComplaint(ctx, sup, id, s.action, s.in); err != nil {
				return fmt.Errorf("demo complaint %s: %w", s.action, err)
			}
		}
	}
	*clock = now
	calls, err := fb.DrawSurvey(ctx, sup, hall, 6, 30)
	if err != nil {
		return err
	}
	for i, c := range calls {
		if i >= 4 {
			break
		}
		if err := fb.RecordSurvey(ctx, sup, c.ID, feedback.SurveyResult{Reached: i != 3, Level: 5 - i%2}); err != nil {
			return err
		}
	}
	return nil
}

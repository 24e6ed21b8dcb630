// Package demo loads a demo organisation on first start: two halls (hall 1 open around the
// clock so a demo works at any hour, hall 2 on office hours), a catalogue of 社保, 公积金, 税务
// and 公共服务 services with their materials, eight windows and eight clerks per hall, a
// supervisor per hall and an admin.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

type material struct {
	name     string
	original bool
	copies   int
	when     string
}

type service struct {
	prefix, name, nameEN, category, kind string
	limitDays, stdMinutes                int
	materials                            []material
}

var idCard = material{"居民身份证", true, 1, ""}
var idCopy = material{"居民身份证复印件", false, 1, ""}

// Catalogue is the demo's service catalogue, written from the seed documents' examples.
var catalogue = []service{
	{"A", "社保缴纳", "Social insurance payment", "社保", "handle", 1, 8, []material{idCard, {"社会保障卡", true, 1, ""}, {"灵活就业人员参保登记表", true, 1, "首次以灵活就业身份缴费时"}}},
	{"B", "社保转移", "Social insurance transfer", "社保", "handle", 15, 15, []material{idCard, idCopy, {"参保缴费凭证", true, 1, ""}, {"基本养老保险关系转移接续申请表", true, 2, ""}}},
	{"C", "社保查询", "Social insurance enquiry", "社保", "consult", 0, 5, []material{idCard}},
	{"D", "公积金提取", "Housing fund withdrawal", "公积金", "handle", 3, 12, []material{idCard, {"本人银行借记卡", true, 1, ""}, {"购房合同或不动产权证书", false, 1, "购房提取时"}, {"租赁合同", false, 1, "租房提取时"}}},
	{"E", "公积金贷款", "Housing fund loan", "公积金", "handle", 10, 25, []material{idCard, idCopy, {"婚姻状况证明", true, 1, ""}, {"购房合同", true, 1, ""}, {"首付款发票", false, 1, ""}, {"收入证明", true, 1, ""}}},
	{"F", "公积金账户管理", "Housing fund account", "公积金", "handle", 1, 8, []material{idCard, {"单位经办人授权委托书", true, 1, "单位办理时"}}},
	{"G", "税务申报", "Tax filing", "税务", "handle", 1, 12, []material{idCard, {"营业执照副本", false, 1, "企业申报时"}, {"财务报表", true, 1, "企业申报时"}}},
	{"H", "税务咨询", "Tax enquiry", "税务", "consult", 0, 6, []material{}},
	{"J", "医疗保障服务", "Medical insurance services", "公共服务", "handle", 5, 10, []material{idCard, {"医保电子凭证或社会保障卡", true, 1, ""}, {"医疗费用票据", true, 1, "报销时"}}},
	{"K", "教育服务", "Education services", "公共服务", "handle", 5, 10, []material{idCard, {"户口簿", true, 1, ""}, {"居住证", true, 1, "非本地户籍时"}}},
	{"L", "住房服务", "Housing services", "公共服务", "handle", 10, 15, []material{idCard, {"户口簿", true, 1, ""}, {"家庭收入证明", true, 1, ""}, {"住房情况证明", true, 1, ""}}},
	{"T", "投诉与建议", "Complaints and suggestions", "综合", "complaint", 5, 10, []material{}},
}

// windows: number, name, services in order of preference (by prefix).
var windows = []struct {
	name     string
	prefixes string
}{
	{"综合窗口", "ACDGJKLBEFH"},
	{"社保窗口", "ABC"},
	{"社保窗口", "BAC"},
	{"公积金窗口", "DEF"},
	{"公积金窗口", "EDF"},
	{"税务窗口", "GH"},
	{"公共服务窗口", "JKL"},
	{"咨询投诉窗口", "TCHJ"},
}

var clerkNames = [][]string{
	{"王丽", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄娟"},
	{"周婷", "吴刚", "徐霞", "孙浩", "马琳", "朱涛", "胡蓉", "郭鹏"},
}

var priorities = []struct{ code, name, en string }{
	{"elderly", "老年人", "Elderly"},
	{"pregnant", "孕妇", "Pregnant"},
	{"disabled", "残疾人", "Disabled"},
	{"military", "军人及优抚对象", "Military"},
}

// Load fills an empty database with the demo organisation and reports whether it did. All
// demo accounts share password (hashed once, since hashing is slow on purpose).
func Load(ctx context.Context, db *store.DB, password string, now time.Time) (bool, error) {
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM halls").Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	hash := staff.HashPassword(password)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM halls").Scan(&n); err != nil || n > 0 {
			return err // another instance loaded it first
		}
		return load(ctx, tx, hash, now)
	})
	if store.IsUniqueViolation(err) {
		return false, nil // another instance starting at the same moment loaded it
	}
	if err != nil {
		// The catalogue turns a unique violation into its own "already used" error: when
		// another instance has loaded the demo meanwhile, that is what happened.
		if e := db.QueryRow(ctx, "SELECT COUNT(*) FROM halls").Scan(&n); e == nil && n > 0 {
			return false, nil
		}
		return false, err
	}
	err = loadAppointments(ctx, db, password, now)
	if err == nil {
		err = loadCases(ctx, db, now) // through the cases' own operations, each its own transaction
	}
	return err == nil, err
}

// load writes the demo organisation through the catalogue's and the staff's own functions.
func load(ctx context.Context, tx *store.Tx, hash string, now time.Time) error {
	who := staff.System
	for _, p := range priorities {
		if err := org.CreatePriorityClass(ctx, tx, who, now, org.PriorityClass{Code: p.code, Name: p.name, NameEN: p.en}); err != nil {
			return err
		}
	}
	account := func(username, name string, role staff.Role, hall int64) (int64, error) {
		return staff.Create(ctx, tx, who, now, staff.Account{Username: username, Name: name, Role: role, HallID: hall, PasswordHash: hash})
	}
	if _, err := account("admin", "系统管理员", staff.Admin, 0); err != nil {
		return err
	}
	halls := []org.Hall{
		{Name: "市民服务中心（主厅）", NameEN: "Citizen Service Centre (Main Hall)", OpenTime: "00:00", CloseTime: "24:00", Weekdays: "1234567", AlwaysOpen: true},
		{Name: "高新区政务服务分中心", NameEN: "Hi-Tech Zone Service Centre", OpenTime: "09:00", CloseTime: "17:00", Weekdays: "12345"},
	}
	for hi, h := range halls {
		h.Number = hi + 1
		hallID, err := org.CreateHall(ctx, tx, who, now, h)
		if err != nil {
			return err
		}
		svcIDs := map[byte]int64{}
		for _, s := range catalogue {
			svc := org.Service{HallID: hallID, Name: s.name, NameEN: s.nameEN, Category: s.category, Prefix: s.prefix, Kind: s.kind,
				TimeLimitDays: s.limitDays, StdMinutes: s.stdMinutes, AlertWaiting: 15, Materials: []org.Material{}}
			for _, m := range s.materials {
				svc.Materials = append(svc.Materials, org.Material{Name: m.name, Original: m.original, Copies: m.copies, RequiredWhen: m.when})
			}
			if svcIDs[s.prefix[0]], err = org.CreateService(ctx, tx, who, now, svc); err != nil {
				return err
			}
		}
		if _, err := account(fmt.Sprintf("sup%d", h.Number), []string{"林主任", "高主任"}[hi%2], staff.Supervisor, hallID); err != nil {
			return err
		}
		for wi, w := range windows {
			wn := wi + 1
			clerk, err := account(fmt.Sprintf("clerk%d-%d", h.Number, wn), clerkNames[hi%2][wi], staff.Clerk, hallID)
			if err != nil {
				return err
			}
			win := org.Window{HallID: hallID, Number: wn, Name: fmt.Sprintf("%d号%s", wn, w.name)}
			for i := 0; i < len(w.prefixes); i++ {
				win.Services = append(win.Services, svcIDs[w.prefixes[i]])
			}
			if _, err := org.CreateWindow(ctx, tx, who, now, win, clerk); err != nil {
				return err
			}
		}
	}
	if err := loadGuide(ctx, tx, who, now); err != nil {
		return err
	}
	return loadDepartments(ctx, tx, hash, now)
}

// Present tells whether the demo organisation is in the database (its admin account exists).
func Present(ctx context.Context, db *store.DB) (bool, error) {
	return staff.Exists(ctx, db, "admin")
}

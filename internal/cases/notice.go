package cases

import (
	"fmt"
	"strings"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/org"
)

// Notice is the one-time notice (一次性告知书): every missing or faulty item at once, what is
// needed of each, the legal basis, the time limit and where to bring them. It is a snapshot of
// the catalogue at issue time, so a later change of the service does not change a notice a
// citizen holds.
type Notice struct {
	Reference  string        `json:"reference"`
	Code       string        `json:"code"`
	CaseNumber string        `json:"case_number"`
	Service    string        `json:"service"`
	Items      []NoticeItem  `json:"items"`
	LegalBasis string        `json:"legal_basis"`
	LimitDays  int           `json:"limit_days"` // the promised limit, counted from acceptance
	BringBy    calendar.Date `json:"bring_by"`
	Place      Place         `json:"place"`
	IssuedAt   int64         `json:"issued_at"` // Unix ms
	IssuedBy   string        `json:"issued_by"`
}

// NoticeItem is one item the citizen must bring.
type NoticeItem struct {
	Name         string `json:"name"`
	Status       string `json:"status"` // missing or faulty
	Note         string `json:"note,omitempty"`
	Original     bool   `json:"original"`
	Copies       int    `json:"copies"`
	RequiredWhen string `json:"required_when,omitempty"`
}

// Place is where to bring the items.
type Place struct {
	Hall    string `json:"hall"`
	Address string `json:"address,omitempty"`
	Hours   string `json:"hours"`
}

// CorrectionDays is how long, in working days, the notice gives the citizen to bring the
// items; after it the clerk may still take them, but the notice says a date.
const CorrectionDays = 20

// basisByKind is the legal basis a notice cites while the catalogue has none for the service.
// When org.Service gains its own legal basis (the back office), legalBasis reads it first.
var basisByKind = map[string]string{
	"handle":  "《中华人民共和国行政许可法》第三十二条：申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，自收到申请材料之日起即为受理。",
	"consult": "",
}

func legalBasis(s *org.Service) string {
	if b := strings.TrimSpace(s.LegalBasis); b != "" {
		return b
	}
	return basisByKind[s.Kind]
}

// place is the hall as the notice names it: the guide's address and hours (the same catalogue
// rows, so the notice and the guide never disagree).
func place(h *org.Hall) Place {
	hours := h.OpenTime + "–" + h.CloseTime
	if h.AlwaysOpen {
		hours = "00:00–24:00"
	}
	return Place{Hall: h.Name, Address: h.Address, Hours: weekdays(h.Weekdays) + " " + hours}
}

func weekdays(w string) string {
	names := []string{"", "一", "二", "三", "四", "五", "六", "日"}
	switch w {
	case "1234567":
		return "每天"
	case "12345":
		return "周一至周五"
	case "123456":
		return "周一至周六"
	}
	var b strings.Builder
	b.WriteString("周")
	for i, c := range w {
		if c >= '1' && c <= '7' {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString(names[c-'0'])
		}
	}
	return b.String()
}

// buildNotice makes the notice of a case from its checklist; it lists every missing or faulty
// item and fails when there is none.
func buildNotice(c *Case, svc *org.Service, h *org.Hall, bringBy calendar.Date) (*Notice, error) {
	n := &Notice{CaseNumber: c.Number, Service: svc.Name, LegalBasis: legalBasis(svc), LimitDays: svc.TimeLimitDays,
		BringBy: bringBy, Place: place(h), Items: []NoticeItem{}}
	for _, m := range c.Materials {
		if m.Status != Missing && m.Status != Faulty {
			continue
		}
		it := NoticeItem{Name: m.Name, Status: m.Status, Note: m.Note, Original: m.Original, Copies: m.Copies, RequiredWhen: m.RequiredWhen}
		// The checklist keeps name and finding; what is needed of the item is the catalogue's.
		if m.Position >= 0 && m.Position < len(svc.Materials) && svc.Materials[m.Position].Name == m.Name {
			cat := svc.Materials[m.Position]
			it.Original, it.Copies, it.RequiredWhen = cat.Original, cat.Copies, cat.RequiredWhen
		}
		n.Items = append(n.Items, it)
	}
	if len(n.Items) == 0 {
		return nil, fmt.Errorf("no missing or faulty item")
	}
	n.Reference = "告知-" + c.Number
	return n, nil
}

package web

import (
	"context"
	"net/http"

	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/org"
)

func localName(lang, zh, en string) string {
	switch lang {
	case i18n.EN:
		if en != "" {
			return en
		}
	case i18n.Hant:
		return i18n.ToHant(zh)
	}
	return zh
}

// windowName: windows are named in Chinese only ("3号综合窗口"); English pages say "Window 3".
func windowName(lang string, number int, name string) string {
	if lang == i18n.EN {
		return i18n.T(lang, "window_n", number)
	}
	return localName(lang, name, "")
}

func categoryName(lang, c string) string {
	if i18n.Has("cat_" + c) {
		return i18n.T(lang, "cat_"+c)
	}
	return localName(lang, c, "")
}

func hallHours(lang string, h *org.Hall) string {
	if h.AlwaysOpen {
		return i18n.T(lang, "open_24h")
	}
	return i18n.T(lang, "office_hours", h.OpenTime, h.CloseTime)
}

// hallJS is a hall as the scripts need it.
type hallJS struct {
	ID          int64  `json:"id"`
	Number      int    `json:"number"`
	Name        string `json:"name"`
	TZ          string `json:"tz"`
	LongWaitMin int    `json:"long_wait_minutes"`
	MaxRecalls  int    `json:"max_recalls"`
}

func hallFor(lang string, h *org.Hall) hallJS {
	return hallJS{ID: h.ID, Number: h.Number, Name: localName(lang, h.Name, h.NameEN), TZ: h.Location().String(),
		LongWaitMin: h.LongWaitMin, MaxRecalls: h.MaxRecalls}
}

// codeName is a code with its name in the page's language (a pause reason, a priority class).
type codeName struct{ Code, Name string }

type nameJS struct {
	ID     int64  `json:"id"`
	Number int    `json:"number,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Name   string `json:"name"`
}

func (s *Server) hallNames(ctx context.Context, lang string, hall int64) (svcs, wins []nameJS, err error) {
	ss, err := org.Services(ctx, s.DB, hall)
	if err != nil {
		return nil, nil, err
	}
	ws, err := org.Windows(ctx, s.DB, hall)
	if err != nil {
		return nil, nil, err
	}
	svcs, wins = []nameJS{}, []nameJS{}
	for _, x := range ss {
		svcs = append(svcs, nameJS{ID: x.ID, Prefix: x.Prefix, Name: localName(lang, x.Name, x.NameEN)})
	}
	for _, x := range ws {
		wins = append(wins, nameJS{ID: x.ID, Number: x.Number, Name: windowName(lang, x.Number, x.Name)})
	}
	return svcs, wins, nil
}

// hallFromPath reads {hall} and checks it exists.
func (s *Server) hallFromPath(r *http.Request) (*org.Hall, error) {
	id, err := pathID(r, "hall")
	if err != nil {
		return nil, err
	}
	return org.GetHall(r.Context(), s.DB, id)
}

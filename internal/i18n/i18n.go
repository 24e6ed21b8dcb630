// Package i18n holds the words of the user interface and of error messages in Simplified
// Chinese (first), Traditional Chinese and English. Traditional is converted from Simplified
// with OpenCC (Taiwan standard characters, no phrase changes) once at first use, so the two Chinese scripts never drift apart.
package i18n

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"
)

// Languages, in the order the language switch shows them.
const (
	Hans = "zh-Hans"
	Hant = "zh-Hant"
	EN   = "en"
)

var Langs = []string{Hans, Hant, EN}

// LangNames are each language's own name.
var LangNames = map[string]string{Hans: "简体中文", Hant: "繁體中文", EN: "English"}

var (
	once sync.Once
	conv *opencc.OpenCC
	hant map[string]string

	memoMu sync.Mutex
	memo   = map[string]string{}
)

// OpenCC's Taiwan-standard characters without phrase changes: 窗口 stays 窗口 (s2twp would
// make it 視窗), while 为 becomes 為, not 爲.
func load() {
	conv, _ = opencc.New("s2tw")
	hant = make(map[string]string, len(messages))
	for k, m := range messages {
		hant[k] = convert(m[0])
	}
}

func convert(s string) string {
	if conv == nil {
		return s
	}
	out, err := conv.Convert(s)
	if err != nil {
		return s
	}
	return out
}

// ToHant converts text kept in Simplified Chinese (names of halls, services, windows,
// materials) for a Traditional page, with the same conversion as the messages. Results are
// remembered, since the same few names recur on every page.
func ToHant(s string) string {
	if s == "" {
		return s
	}
	once.Do(load)
	memoMu.Lock()
	defer memoMu.Unlock()
	if v, ok := memo[s]; ok {
		return v
	}
	v := convert(s)
	if len(memo) > 5000 {
		clear(memo)
	}
	memo[s] = v
	return v
}

// T returns the message key in lang, filled with args (fmt verbs). An unknown key is returned as
// it is, so a missing translation shows and is not silently empty.
func T(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	var s string
	switch lang {
	case EN:
		s = m[1]
	case Hant:
		once.Do(load)
		s = hant[key]
	default:
		s = m[0]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Select returns the messages in lang that keys name, for a page's script: each page is handed
// only the words it shows. A key ending in "*" stands for every key with that prefix (an
// enumerated family such as "reason_*").
func Select(lang string, keys ...string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if prefix, family := strings.CutSuffix(k, "*"); family {
			for m := range messages {
				if strings.HasPrefix(m, prefix) {
					out[m] = T(lang, m)
				}
			}
		} else if Has(k) {
			out[k] = T(lang, k)
		}
	}
	return out
}

// Keys are every message key, sorted.
func Keys() []string {
	return slices.Sorted(maps.Keys(messages))
}

// Has tells whether a key exists.
func Has(key string) bool { _, ok := messages[key]; return ok }

// Pick chooses the language: ?lang=, then the qhall_lang cookie, then Accept-Language; Simplified
// Chinese when nothing says otherwise.
func Pick(r *http.Request) string {
	if l := norm(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if c, err := r.Cookie("qhall_lang"); err == nil {
		if l := norm(c.Value); l != "" {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := norm(tag); l != "" {
			return l
		}
	}
	return Hans
}

// PickPublic chooses the language of a public device (kiosk, display board): ?lang=, then the
// cookie, else Simplified Chinese. The browser's own language is not asked, since a hall's
// screen set up on an English system must still greet the hall in Chinese.
func PickPublic(r *http.Request) string {
	if l := norm(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if c, err := r.Cookie("qhall_lang"); err == nil {
		if l := norm(c.Value); l != "" {
			return l
		}
	}
	return Hans
}

func norm(tag string) string {
	t := strings.ToLower(tag)
	switch {
	case t == "":
		return ""
	case t == "zh-hant" || t == "zh-tw" || t == "zh-hk" || t == "zh-mo" || strings.HasPrefix(t, "zh-hant"):
		return Hant
	case strings.HasPrefix(t, "zh"):
		return Hans
	case strings.HasPrefix(t, "en"):
		return EN
	}
	return ""
}

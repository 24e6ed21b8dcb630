package cases

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/i18n"
)

// legal is the state machine written out by hand, apart from the table it checks: every step
// from every state it may be taken in, and where it leads.
var legal = map[string]State{
	"consult review": Review, "consult reject": Rejected, "consult complete": Completed,
	"review notice": Correction, "review accept": Processing, "review accept_lack": Processing, "review auto_accept": Processing,
	"review reject":     Rejected,
	"correction return": Review, "correction reject": Rejected,
	"processing assign": Processing, "processing supplement": Processing, "processing suspend": Suspended,
	"processing extend": Processing, "processing complete": Completed,
	"suspended resume": Processing, "suspended supplement": Suspended, "suspended extend": Suspended,
	"completed deliver": Delivered,
}

func TestEveryIllegalTransitionIsRefused(t *testing.T) {
	refused := 0
	for _, s := range States {
		for _, st := range Steps {
			to, err := Next(s, st)
			want, ok := legal[string(s)+" "+string(st)]
			if ok {
				if err != nil || to != want {
					t.Errorf("%s --%s--> %s, %v; want %s", s, st, to, err, want)
				}
				continue
			}
			refused++
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != "case_illegal_step" || e.Kind != apperr.Conflict {
				t.Errorf("%s --%s--> %s, %v; want refused", s, st, to, err)
				continue
			}
			if to != s {
				t.Errorf("refused %s in %s moved to %s", st, s, to)
			}
			// The message names the step and the state, in both languages.
			for _, lang := range []string{i18n.Hans, i18n.EN} {
				msg := i18n.T(lang, e.Code, e.Args...)
				if !containsAll(msg, string(st), string(s)) {
					t.Errorf("%s: message %q does not name step %s and state %s", lang, msg, st, s)
				}
			}
		}
	}
	if want := len(States)*len(Steps) - len(legal); refused != want {
		t.Errorf("refused %d transitions, want %d", refused, want)
	}
	if _, err := Next(Consult, "fly"); err == nil {
		t.Error("an unknown step was taken")
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestClosedStatesAllowNothingButDelivery(t *testing.T) {
	for _, s := range []State{Rejected, Delivered} {
		if a := Allowed(s); len(a) != 0 {
			t.Errorf("%s allows %v", s, a)
		}
	}
	if a := fmt.Sprint(Allowed(Completed)); a != "[deliver]" {
		t.Errorf("completed allows %s", a)
	}
}

package queue_test

import (
	"testing"
	"time"

	"github.com/qhall/qhall/internal/queue"
)

// TestNextChange: the next moment a hall's state changes with no event is the earliest of a
// long-wait crossing, a pause's end and a called ticket's start alert; past moments and halls
// with nothing due give zero.
func TestNextChange(t *testing.T) {
	now := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	st := &queue.HallState{LongWaitMin: 30,
		Services: []queue.ServiceState{
			{OldestTakenAt: now.Add(-20 * time.Minute)}, // crosses at +10 min
			{OldestTakenAt: now.Add(-40 * time.Minute)}, // crossed already
			{},
		},
		Windows: []queue.WindowState{
			{State: "paused", PauseUntil: now.Add(7 * time.Minute)},
			{State: "open", CurrentState: queue.Called, CurrentSince: now.Add(-1 * time.Minute)}, // alert at +4 min
			{State: "open", CurrentState: queue.Serving, CurrentSince: now.Add(-1 * time.Minute)},
		}}
	if got := st.NextChange(now); !got.Equal(now.Add(queue.CalledAlert - time.Minute)) {
		t.Errorf("next change %v, want the called ticket's alert at +4 min", got.Sub(now))
	}
	st.Windows = st.Windows[:1]
	if got := st.NextChange(now); !got.Equal(now.Add(7 * time.Minute)) {
		t.Errorf("next change %v, want the pause's end at +7 min", got.Sub(now))
	}
	st.Windows = nil
	if got := st.NextChange(now); !got.Equal(now.Add(10 * time.Minute)) {
		t.Errorf("next change %v, want the long-wait crossing at +10 min", got.Sub(now))
	}
	st.Services = st.Services[1:]
	if got := st.NextChange(now); !got.IsZero() {
		t.Errorf("nothing due, got %v", got)
	}
}

//go:build unix

package speech

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used. On a shared machine it
// measures a benchmark's work far more steadily than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

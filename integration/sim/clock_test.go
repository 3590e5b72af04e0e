package sim_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

func TestAcceleratedClockRejectsInvalidSpeed(t *testing.T) {
	for _, speed := range []float64{0, -3, math.NaN(), math.Inf(1), math.Inf(-1)} {
		t.Run(formatFloat(speed), func(t *testing.T) {
			message := recoverPanic(func() { sim.NewAcceleratedClock(speed) })
			if message == "" {
				t.Fatalf("NewAcceleratedClock(%v) did not panic", speed)
			}
			if !strings.Contains(message, "above 0") {
				t.Errorf("panic message %q does not name the accepted range", message)
			}
		})
	}
}

func TestAcceleratedClockRunsFaster(t *testing.T) {
	clock := sim.NewAcceleratedClock(50)
	hostStart := time.Now()
	start := clock.Now()
	time.Sleep(20 * time.Millisecond)
	elapsed := clock.Now().Sub(start)
	hostElapsed := time.Since(hostStart)
	if elapsed < 40*hostElapsed {
		t.Errorf("appliance clock advanced %v in %v of host time, want about 50 times as much", elapsed, hostElapsed)
	}
}

// recoverPanic runs f and returns the text of its panic, or "" if it
// returned normally.
func recoverPanic(f func()) (message string) {
	defer func() {
		if r := recover(); r != nil {
			message = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func formatFloat(value float64) string { return strconv.FormatFloat(value, 'g', -1, 64) }

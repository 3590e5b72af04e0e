package wasmui

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	tests := []struct {
		attempt  int
		low, top time.Duration // the delay at random 0 and near 1
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{3, 2 * time.Second, 4 * time.Second},
		{5, 8 * time.Second, 16 * time.Second},
		{6, 15 * time.Second, 30 * time.Second},
		{7, 15 * time.Second, 30 * time.Second},
		{1000, 15 * time.Second, 30 * time.Second},
	}
	for _, tt := range tests {
		low := backoff{Min: time.Second, Max: 30 * time.Second, Random: func() float64 { return 0 }}
		if got := low.Delay(tt.attempt); got != tt.low {
			t.Errorf("Delay(%d) at random 0 = %v, want %v", tt.attempt, got, tt.low)
		}
		high := backoff{Min: time.Second, Max: 30 * time.Second, Random: func() float64 { return 0.999999 }}
		if got := high.Delay(tt.attempt); got > tt.top || got < tt.top-time.Millisecond {
			t.Errorf("Delay(%d) at random 0.999999 = %v, want just under %v", tt.attempt, got, tt.top)
		}
	}
}

func TestBackoffDefaultStaysInRange(t *testing.T) {
	for attempt := 1; attempt <= 20; attempt++ {
		for range 50 {
			d := defaultBackoff.Delay(attempt)
			if d < 500*time.Millisecond || d > 30*time.Second {
				t.Fatalf("defaultBackoff.Delay(%d) = %v, want between 500ms and 30s", attempt, d)
			}
		}
	}
}

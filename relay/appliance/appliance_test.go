package appliance

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoffBounds(t *testing.T) {
	lo, hi := time.Second, 60*time.Second
	for n := 1; n <= 40; n++ {
		ceiling := hi
		if n < 31 {
			ceiling = min(hi, lo<<(n-1))
		}
		for range 50 {
			d := backoff(n, lo, hi)
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, ceiling/2, ceiling)
			}
		}
	}
}

func TestClockOffsetMedian(t *testing.T) {
	var c Clock
	if _, ok := c.Offset(); ok {
		t.Fatal("Offset reported a value before any sample")
	}
	sent := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	received := sent.Add(200 * time.Millisecond)
	// The appliance runs 90 s ahead; its Date header is truncated to the
	// second. One wild sample must not move the median.
	server := sent.Add(100*time.Millisecond + 90*time.Second).Truncate(time.Second)
	for range 4 {
		c.Observe(server, sent, received)
	}
	c.Observe(sent.Add(time.Hour), sent, received)
	got, ok := c.Offset()
	if !ok {
		t.Fatal("Offset reported no value")
	}
	if got < 89*time.Second || got > 91*time.Second {
		t.Errorf("offset = %v, want about 90s", got)
	}
}

func TestClockObserveResponse(t *testing.T) {
	var c Clock
	now := time.Now()
	resp := &http.Response{Header: http.Header{"Date": []string{now.Add(-30 * time.Second).UTC().Format(http.TimeFormat)}}}
	c.ObserveResponse(resp, now, now)
	got, ok := c.Offset()
	if !ok || got > -29*time.Second || got < -31*time.Second {
		t.Errorf("offset = %v, %v; want about -30s", got, ok)
	}
	c2 := Clock{}
	c2.ObserveResponse(&http.Response{Header: http.Header{"Date": []string{"yesterday"}}}, now, now)
	if _, ok := c2.Offset(); ok {
		t.Error("an invalid Date header produced an offset")
	}
}

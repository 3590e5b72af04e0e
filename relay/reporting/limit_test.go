package reporting

import (
	"testing"
	"time"
)

func TestTokenBucket(t *testing.T) {
	now := time.Unix(1000, 0)
	b := newTokenBucket(2, 3)
	b.now = func() time.Time { return now }
	for i := range 3 {
		if !b.take() {
			t.Fatalf("take %d of the burst failed", i+1)
		}
	}
	if b.take() {
		t.Fatal("take beyond the burst succeeded")
	}
	now = now.Add(500 * time.Millisecond)
	if !b.take() {
		t.Error("no token after half a second at 2 a second")
	}
	if b.take() {
		t.Error("a second token after half a second at 2 a second")
	}
	now = now.Add(time.Hour)
	taken := 0
	for b.take() {
		taken++
	}
	if taken != 3 {
		t.Errorf("took %d tokens after an hour, want the burst of 3", taken)
	}
}

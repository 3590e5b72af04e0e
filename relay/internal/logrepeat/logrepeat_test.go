package logrepeat_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/relay/internal/logrepeat"
)

func TestCountLogsPowersOfTen(t *testing.T) {
	var c logrepeat.Counter
	var logged []int
	for range 1000 {
		if n, ok := c.Count("x"); ok {
			logged = append(logged, n)
		}
	}
	if diff := cmp.Diff([]int{1, 10, 100, 1000}, logged); diff != "" {
		t.Errorf("logged occurrences mismatch (-want +got):\n%s", diff)
	}
}

func TestCountKeysApart(t *testing.T) {
	var c logrepeat.Counter
	c.Count("a")
	if n, ok := c.Count("b"); n != 1 || !ok {
		t.Errorf("first event of another key = %d, %t; want 1, true", n, ok)
	}
}

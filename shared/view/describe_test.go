package view_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/view"
)

func TestDescribeMatchesBoard(t *testing.T) {
	m := modelOf(t, siteLines...)
	b := view.NewBuilder(view.Settings{})
	board := b.Build(m)
	if len(board.InProgress) == 0 {
		t.Fatal("test site has no sessions in progress")
	}
	for _, want := range board.InProgress {
		got, ok := b.Describe(m, want.ID)
		if !ok {
			t.Fatalf("Describe(%d) found no session", want.ID)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Describe(%d) mismatch (-board +describe):\n%s", want.ID, diff)
		}
	}
	if _, ok := b.Describe(m, 999999); ok {
		t.Error("Describe of a missing session reported true")
	}
}

func TestDescribeWaitingSession(t *testing.T) {
	m := modelOf(t, siteLines...)
	b := view.NewBuilder(view.Settings{})
	board := b.Build(m)
	w := board.Waiting[0]
	got, ok := b.Describe(m, w.ID)
	if !ok {
		t.Fatalf("Describe(%d) found no session", w.ID)
	}
	if got.Customer != w.Customer || got.TeamCode != w.TeamCode || len(got.Reps) != 0 {
		t.Errorf("Describe(%d) = %+v, want customer %q, team %q and no reps", w.ID, got, w.Customer, w.TeamCode)
	}
}

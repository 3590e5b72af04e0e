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
	var ids []int64
	for _, p := range board.InProgress {
		ids = append(ids, p.ID)
	}
	// A missing id and a repeated one are left out.
	got := b.Describe(m, append(append([]int64{999999}, ids...), ids[0])...)
	if diff := cmp.Diff(board.InProgress, got); diff != "" {
		t.Errorf("Describe mismatch (-board +describe):\n%s", diff)
	}
	if got := b.Describe(m, 999999); got != nil {
		t.Errorf("Describe of a missing session = %+v, want nil", got)
	}
}

func TestDescribeWaitingSession(t *testing.T) {
	m := modelOf(t, siteLines...)
	b := view.NewBuilder(view.Settings{})
	board := b.Build(m)
	w := board.Waiting[0]
	described := b.Describe(m, w.ID)
	if len(described) != 1 {
		t.Fatalf("Describe(%d) = %d sessions, want 1", w.ID, len(described))
	}
	got := described[0]
	if got.Customer != w.Customer || got.TeamCode != w.TeamCode || len(got.Reps) != 0 {
		t.Errorf("Describe(%d) = %+v, want customer %q, team %q and no reps", w.ID, got, w.Customer, w.TeamCode)
	}
}

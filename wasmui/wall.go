package wasmui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/view"
)

// Row caps of the wall layout. The style sheet sizes type by the screen's
// height, so these many rows fit below the summary tiles on any 16:9
// screen, 1920x1080 included, without scrolling.
const (
	wallWaitingRows = 15
	wallQueueRows   = 15
)

// repStatuses are the statuses the wall counts, in display order.
var repStatuses = [...]view.RepStatus{
	view.StatusAvailable, view.StatusBusy, view.StatusIdle, view.StatusAutoAssignOff,
}

// countReps counts the logged-in representatives of each of repStatuses.
func countReps(reps []view.Rep) [len(repStatuses)]int {
	var counts [len(repStatuses)]int
	for i := range reps {
		if k := slices.Index(repStatuses[:], reps[i].Status); k >= 0 {
			counts[k]++
		}
	}
	return counts
}

// busiestQueues returns the queues with customers waiting, longest wait
// first, then by name. A queue moves only when its longest-waiting
// customer leaves, so rows do not jump with every arrival.
func busiestQueues(queues []view.Queue) []view.Queue {
	var busy []view.Queue
	for _, q := range queues {
		if q.Waiting > 0 {
			busy = append(busy, q)
		}
	}
	slices.SortFunc(busy, func(x, y view.Queue) int {
		return cmp.Or(
			cmp.Compare(x.OldestEntry, y.OldestEntry),
			cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)),
			cmp.Compare(x.ID, y.ID))
	})
	return busy
}

// wallTiles renders the summary figures as a description list, each tile
// with data-tile set to its key. Without data every figure shows as none
// rather than 0.
func (d *Dashboard) wallTiles(noData bool) app.UI {
	b := d.board
	count := func(n int) string {
		if noData {
			return noneHTML
		}
		return strconv.Itoa(n)
	}
	longest := noneHTML
	if len(b.Waiting) > 0 && !noData {
		first := &b.Waiting[0]
		longest = formatDuration(first.Waited(d.now)) + slaFlagHTML(first.SLAState(d.now))
	}
	overSLA := count(d.overSLA)
	if d.overSLA > 0 && !noData {
		overSLA += slaFlagHTML(view.SLABreached)
	}
	reps := `<ul class="rep-counts">`
	for i, status := range repStatuses {
		reps += `<li class="status status-` + string(status) + `" data-status="` + string(status) +
			`"><span class="status-icon" aria-hidden="true">` + statusIcon(status) +
			`</span><span class="rep-count">` + count(d.reps[i]) + `</span> ` + status.Label() + `</li>`
	}
	reps += `</ul>`

	return app.Raw(`<dl class="tiles">` +
		tileHTML("waiting", "Waiting", count(len(b.Waiting))) +
		tileHTML("longest-wait", "Longest wait", longest) +
		tileHTML("over-sla", "Over SLA", overSLA) +
		tileHTML("in-progress", "In progress", count(len(b.InProgress))) +
		tileHTML("reps", "Representatives", reps) +
		`</dl>`)
}

// tileHTML returns one summary figure with data-tile set to key. value is
// HTML.
func tileHTML(key, label, value string) string {
	return `<div class="tile" data-tile="` + key + `"><dt class="tile-label">` + label +
		`</dt><dd class="tile-value">` + value + `</dd></div>`
}

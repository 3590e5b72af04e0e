package wasmui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// Render renders the header, the layout chosen by the page address and the
// live region for announcements.
//
// The desk layout shows every panel in two columns: the sessions (waiting,
// in progress, recently closed) and the site (queues, representatives and,
// when the relay sends it, CSAT). go-app diffs children by position, so the
// CSAT panel comes last in its column, where its arrival shifts no other
// panel. The style sheet shows it first.
//
// The wall layout shows summary tiles, CSAT, the longest-waiting sessions
// and the queues with customers waiting, each list capped to fit the
// screen. The lists are the desk's panels with fewer rows, so the
// once-a-second tick only re-renders their time cells.
func (d *Dashboard) Render() app.UI {
	b, closed, busiest := d.board, d.closed, d.busiest
	if d.feed.Status().Appliance == wire.ApplianceDisabled {
		// A disabled relay has no data. Rows kept from an earlier
		// connection would be shown as if they were current.
		b, closed, busiest = &view.Board{}, nil, nil
	}
	wall := d.options.Layout == LayoutWall
	var configName, applianceID string
	var filters activeFilters
	details := false
	if h := d.feed.Hello(); h != nil {
		configName, applianceID = h.ConfigName, h.ApplianceID
		details = h.SessionDetails && !wall
		filters = filtersOf(h.Settings)
	}
	noData := d.noDataText()
	empty := emptyTextsFor(noData, filters)

	waiting := &WaitingPanel{Rows: capRows(b.Waiting, rowLimit), Total: len(b.Waiting), Now: d.now, Empty: empty.Waiting}
	queues := &QueuesPanel{Rows: capRows(b.Queues, rowLimit), Total: len(b.Queues), Now: d.now, Breaches: d.breaches,
		Empty: empty.Queues}
	var csat app.UI
	if d.csat != nil {
		csat = csatPanel(*d.csat)
	}

	var main app.UI
	if wall {
		waiting.Rows = capRows(b.Waiting, wallWaitingRows)
		queues.Rows = capRows(busiest, wallQueueRows)
		queues.Total = len(busiest)
		queues.Quiet = len(b.Queues) - len(busiest)
		queues.Busiest = true
		queues.Empty = empty.BusiestQueues
		main = mainElem().ID("panels").Class("wall").Body(
			section().ID("wall-summary").Class("wall-summary").Aria("label", "Summary").Body(d.wallTiles(noData != ""), csat),
			div().Class("wall-lists").Body(waiting, queues),
		)
	} else {
		main = mainElem().ID("panels").Class("panels").Body(
			div().Class("panel-column").Body(
				waiting,
				&InProgressPanel{Rows: capRows(b.InProgress, rowLimit), Total: len(b.InProgress), Now: d.now,
					Empty: empty.InProgress},
				&ClosedPanel{Rows: capRows(closed, rowLimit), Total: len(closed), Details: details,
					Empty: empty.Closed},
			),
			div().Class("panel-column").Body(
				queues,
				&RepsPanel{Rows: capRows(b.Reps, rowLimit), Total: len(b.Reps), Now: d.now, Empty: empty.Reps},
				csat,
			),
		)
	}

	var dialog app.UI
	if details {
		dialog = d.renderDetailsDialog(d.feed.Hello().Settings.RepNameFormat)
	}
	return div().
		ID("dashboard").
		Class("dashboard", "layout-"+string(d.options.Layout), "state-"+string(d.connection.State)).
		DataSet("layout", string(d.options.Layout)).
		Body(
			&Header{ConfigName: configName, ApplianceID: applianceID, Connection: d.connection, Transport: d.transport,
				Filters: d.filterText},
			main,
			dialog,
			// The one live region of the page. It receives connection
			// changes and new SLA breaches, never a ticking number.
			div().
				ID("announcer").
				Class("visually-hidden").
				Attr("role", "status").
				Aria("live", "polite").
				Text(d.announcement),
		)
}

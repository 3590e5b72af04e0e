package wasmui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
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
	b := d.board
	wall := d.options.Layout == LayoutWall
	var configName, applianceID string
	details := false
	if h := d.feed.Hello(); h != nil {
		configName, applianceID = h.ConfigName, h.ApplianceID
		details = h.SessionDetails && !wall
	}

	waiting := &WaitingPanel{Rows: capRows(b.Waiting, rowLimit), Total: len(b.Waiting), Now: d.now}
	queues := &QueuesPanel{Rows: capRows(b.Queues, rowLimit), Total: len(b.Queues), Now: d.now, Breaches: d.breaches}
	var csat app.UI
	if d.csat != nil {
		csat = csatPanel(*d.csat)
	}

	var main app.UI
	if wall {
		waiting.Rows = capRows(b.Waiting, wallWaitingRows)
		queues.Rows = capRows(d.busiest, wallQueueRows)
		queues.Total = len(d.busiest)
		queues.Quiet = len(b.Queues) - len(d.busiest)
		queues.Busiest = true
		main = mainElem().ID("panels").Class("wall").Body(
			section().ID("wall-summary").Class("wall-summary").Aria("label", "Summary").Body(d.wallTiles(), csat),
			div().Class("wall-lists").Body(waiting, queues),
		)
	} else {
		main = mainElem().ID("panels").Class("panels").Body(
			div().Class("panel-column").Body(
				waiting,
				&InProgressPanel{Rows: capRows(b.InProgress, rowLimit), Total: len(b.InProgress), Now: d.now},
				&ClosedPanel{Rows: capRows(d.closed, rowLimit), Total: len(d.closed), Details: details},
			),
			div().Class("panel-column").Body(
				queues,
				&RepsPanel{Rows: capRows(b.Reps, rowLimit), Total: len(b.Reps), Now: d.now},
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
			&Header{ConfigName: configName, ApplianceID: applianceID, Connection: d.connection, Transport: d.transport},
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

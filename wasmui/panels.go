package wasmui

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/view"
)

// The panels take their rows already capped to rowLimit, plus the total,
// as exported fields. go-app re-renders a child only when an exported field
// changed, and a slice that is the same one as last time compares in
// constant time, so the once-a-second tick costs one render per panel and
// no board rebuild. Now is the appliance's clock in Unix seconds. Empty is
// the message shown when there are no rows. The dashboard words it from the
// connection and the filters, and a panel without it uses a plain default.

// QueuesPanel lists the support team queues, by name on the desk. With
// Busiest set, as on the wall, Rows holds only the queues with customers
// waiting, longest wait first, and Quiet counts the queues left out
// because nobody waits in them.
type QueuesPanel struct {
	app.Compo
	Rows  []view.Queue
	Total int
	Now   int64
	// Breaches counts the waiting sessions over the SLA by queue id.
	Breaches map[int64]int
	Busiest  bool
	Quiet    int
	Empty    string
}

// Render renders the panel.
func (p *QueuesPanel) Render() app.UI {
	rows := make([]app.UI, len(p.Rows))
	for i := range p.Rows {
		rows[i] = queueRow(&p.Rows[i], p.Now, p.Breaches[p.Rows[i].ID])
	}
	pn := panel{
		ID:      "panel-queues",
		Title:   "Queues",
		Caption: "Support team queues by name",
		Order:   "sorted by name",
		Total:   p.Total,
		Shown:   len(p.Rows),
		Empty:   cmp.Or(p.Empty, "No support team queues."),
		Head:    []string{"Team", "Waiting", "Longest wait", "Over SLA", "Available / logged in"},
		Rows:    rows,
	}
	if p.Busiest {
		pn.Title = "Queues with customers waiting"
		pn.Caption = "Support team queues with customers waiting, longest wait first"
		pn.Order = "longest wait first"
		pn.Empty = cmp.Or(p.Empty, "No customers waiting in any queue.")
		switch {
		case p.Quiet == 1:
			pn.Note = "1 queue with nobody waiting not shown"
		case p.Quiet > 1:
			pn.Note = strconv.Itoa(p.Quiet) + " queues with nobody waiting not shown"
		}
	}
	return pn.render()
}

func queueRow(q *view.Queue, now int64, overSLA int) app.UI {
	var longest app.UI = td().Class("num", "time").Body(noneText())
	sla := view.SLANone
	if q.Waiting > 0 {
		waited := max(0, now-q.OldestEntry)
		sla = view.CheckSLA(waited, q.SLA)
		longest = td().Class("num", "time").Body(
			app.Text(formatDuration(waited)),
			slaFlag(sla),
		)
	}
	return tr().
		DataSet("queue-id", q.ID).
		DataSet("sla", slaName(sla)).
		DataSet("over-sla", overSLA).
		Body(
			th("row").Text(q.Name),
			td().Class("num").Text(strconv.Itoa(q.Waiting)),
			longest,
			overSLACell(overSLA),
			td().Class("num").Body(app.Raw(`<span>`+strconv.Itoa(q.RepsAvailable)+
				`<span aria-hidden="true"> / </span><span class="visually-hidden"> of </span>`+
				strconv.Itoa(q.RepsLoggedIn)+`</span>`)),
		)
}

// WaitingPanel lists the support sessions no representative holds yet,
// longest wait first.
type WaitingPanel struct {
	app.Compo
	Rows  []view.Waiting
	Total int
	Now   int64
	Empty string
}

// Render renders the panel.
func (p *WaitingPanel) Render() app.UI {
	rows := make([]app.UI, len(p.Rows))
	for i := range p.Rows {
		rows[i] = waitingRow(&p.Rows[i], p.Now)
	}
	return panel{
		ID:      "panel-waiting",
		Title:   "Waiting sessions",
		Caption: "Customers waiting for a representative, longest wait first",
		Order:   "longest wait first",
		Total:   p.Total,
		Shown:   len(p.Rows),
		Empty:   cmp.Or(p.Empty, "No customers waiting."),
		Head:    []string{"Customer", "Company", "Issue", "Team", "Waiting", "SLA", "Estimated pickup"},
		Rows:    rows,
	}.render()
}

func waitingRow(w *view.Waiting, now int64) app.UI {
	sla := w.SLAState(now)
	var slaCell app.UI = td().Class("sla")
	if flag := slaFlag(sla); flag != nil {
		slaCell = td().Class("sla").Body(flag)
	}
	return tr().
		DataSet("session-id", w.ID).
		DataSet("sla", slaName(sla)).
		Class("sla-"+slaName(sla)).
		Body(
			nameCell(w.Customer),
			textCell(w.Company),
			issueCell(w.Issue),
			textCell(w.Team),
			durationCell(w.Waited(now)),
			slaCell,
			pickupCell(w.EstimatedPickup, now),
		)
}

// nameCell returns the row header cell of a row named by name.
func nameCell(name string) app.UI {
	if name == "" {
		return th("row").Body(noneText())
	}
	return th("row").Text(name)
}

// issueCell shows the customer's issue text. CSS shortens long text, so
// the full text is also in the title.
func issueCell(issue string) app.UI {
	if issue == "" {
		return textCell("")
	}
	return td().Class("issue").Attr("title", issue).Text(issue)
}

// pickupCell shows the appliance's estimated pickup time relative to now.
func pickupCell(estimate, now int64) app.UI {
	if estimate == 0 {
		return td().Class("num", "time").Body(noneText())
	}
	return td().Class("num", "time").Text(formatPickup(estimate, now))
}

// InProgressPanel lists the support sessions representatives hold, oldest
// first.
type InProgressPanel struct {
	app.Compo
	Rows  []view.InProgress
	Total int
	Now   int64
	Empty string
}

// Render renders the panel.
func (p *InProgressPanel) Render() app.UI {
	rows := make([]app.UI, len(p.Rows))
	for i := range p.Rows {
		rows[i] = inProgressRow(&p.Rows[i], p.Now)
	}
	return panel{
		ID:      "panel-inprogress",
		Title:   "Sessions in progress",
		Caption: "Support sessions held by representatives, longest running first",
		Order:   "longest running first",
		Total:   p.Total,
		Shown:   len(p.Rows),
		Empty:   cmp.Or(p.Empty, "No sessions in progress."),
		Head:    []string{"Customer", "Representatives", "Team", "Start method", "Client", "Duration"},
		Rows:    rows,
	}.render()
}

func inProgressRow(s *view.InProgress, now int64) app.UI {
	return tr().
		DataSet("session-id", s.ID).
		Body(
			nameCell(s.Customer),
			textCell(strings.Join(s.Reps, ", ")),
			textCell(s.Team),
			textCell(humanize(s.StartMethod)),
			textCell(clientTypeLabel(s.ClientType)),
			durationCell(now-s.Started),
		)
}

// RepsPanel lists the logged-in representatives by name.
type RepsPanel struct {
	app.Compo
	Rows  []view.Rep
	Total int
	Now   int64
	Empty string
}

// Render renders the panel.
func (p *RepsPanel) Render() app.UI {
	rows := make([]app.UI, len(p.Rows))
	for i := range p.Rows {
		rows[i] = repRow(&p.Rows[i], p.Now)
	}
	return panel{
		ID:      "panel-reps",
		Title:   "Representatives",
		Caption: "Logged-in representatives by name",
		Order:   "sorted by name",
		Total:   p.Total,
		Shown:   len(p.Rows),
		Empty:   cmp.Or(p.Empty, "No representatives logged in."),
		Head:    []string{"Name", "Status", "Sessions", "Logged in for"},
		Rows:    rows,
	}.render()
}

func repRow(r *view.Rep, now int64) app.UI {
	return tr().
		DataSet("rep-id", r.ID).
		DataSet("status", string(r.Status)).
		Body(
			nameCell(r.Name),
			td().Class("status", "status-"+string(r.Status)).Body(app.Raw(
				`<span><span class="status-icon" aria-hidden="true">`+statusIcon(r.Status)+
					`</span><span class="status-text">`+r.Status.Label()+`</span></span>`)),
			td().Class("num").Text(strconv.Itoa(r.Sessions)),
			durationCell(now-r.LoggedInSince),
		)
}

// statusIcon returns a glyph whose shape differs for every status, so the
// status reads without colour. The label beside it carries the meaning.
func statusIcon(s view.RepStatus) string {
	switch s {
	case view.StatusAvailable:
		return "●"
	case view.StatusBusy:
		return "■"
	case view.StatusIdle:
		return "◐"
	case view.StatusAutoAssignOff:
		return "⊘"
	}
	return "○"
}

package wasmui

import (
	"cmp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/wire"
)

// ClosedPanel lists the support sessions that ended recently, newest first.
// Its rows carry no ticking time, so it re-renders only when the relay
// sends a new list.
type ClosedPanel struct {
	app.Compo
	Rows  []wire.ClosedSession
	Total int
	// Details adds a button per row that opens the session details pop-up.
	Details bool
	Empty   string
}

// Render renders the panel.
func (p *ClosedPanel) Render() app.UI {
	head := []string{"Customer", "Company", "Team", "Representatives", "Ended", "Duration"}
	if p.Details {
		head = append(head, "Details")
	}
	rows := make([]app.UI, len(p.Rows))
	for i := range p.Rows {
		rows[i] = p.row(&p.Rows[i])
	}
	return panel{
		ID:      "panel-closed",
		Title:   "Recently closed",
		Caption: "Support sessions that ended recently, newest first",
		Order:   "newest first",
		Total:   p.Total,
		Shown:   len(p.Rows),
		Empty:   cmp.Or(p.Empty, "No sessions closed since the relay started."),
		Head:    head,
		Rows:    rows,
	}.render()
}

func (p *ClosedPanel) row(s *wire.ClosedSession) app.UI {
	cells := []app.UI{
		nameCell(s.Customer),
		textCell(s.Company),
		textCell(s.Team),
		textCell(strings.Join(s.Reps, ", ")),
		td().Class("num", "time").Text(formatClock(s.Ended)),
		durationCell(s.Ended - s.Started),
	}
	if p.Details {
		cells = append(cells, td().Body(detailsButton(s)))
	}
	return tr().
		DataSet("session-id", s.ID).
		DataSet("lsid", s.LSID).
		Body(cells...)
}

// detailsButtonClass is the class of every details button, and
// closedTitleID the id of the closed sessions' heading, which gets the
// focus when the focused button's session leaves the list.
const (
	detailsButtonClass = "details-button"
	closedTitleID      = "panel-closed-title"
)

// detailsButtonID returns the id of the button that opens the details of
// the session with the given LSID, where the focus returns when the pop-up
// closes.
func detailsButtonID(lsid string) string { return "details-button-" + lsid }

// detailsButton opens the details pop-up of one closed session. Its
// accessible name includes the customer, because every row has one. The
// click handler reads the session from the button's data attributes, so
// one handler serves every row however the rows shift.
func detailsButton(s *wire.ClosedSession) app.UI {
	if s.LSID == "" {
		return noneText()
	}
	customer := s.Customer
	if customer == "" {
		customer = "an unnamed customer"
	}
	return buttonElem().
		ID("%s", detailsButtonID(s.LSID)).
		Class(detailsButtonClass).
		DataSet("lsid", s.LSID).
		DataSet("customer", customer).
		Aria("haspopup", "dialog").
		OnClick(openDetails).
		Body(app.Text("Details"), hiddenText(" of the session with "+customer))
}

func openDetails(ctx app.Context, e app.Event) {
	data := ctx.JSSrc().Get("dataset")
	lsid := data.Get("lsid").String()
	ctx.NewActionWithValue(openDetailsAction, detailsRequest{
		LSID:     lsid,
		Customer: data.Get("customer").String(),
		OpenerID: detailsButtonID(lsid),
	})
}

package wasmui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// defaultTitle names the page until the relay's hello gives the
// configuration name.
const defaultTitle = "Real-time dashboard"

// Header is the page header: the relay configuration's name, the appliance
// id and the connection indicator.
type Header struct {
	app.Compo
	ConfigName  string
	ApplianceID string
	Connection  Connection
}

// Render renders the header. The indicator's text counts the age of the
// data up every second, so it is not a live region. The dashboard
// announces state changes through its own region, without numbers.
func (h *Header) Render() app.UI {
	title := h.ConfigName
	if title == "" {
		title = defaultTitle
	}

	var appliance app.UI
	if h.ApplianceID != "" {
		appliance = app.P().ID("appliance-id").Class("appliance").Body(
			app.Span().Class("label").Text("Appliance "),
			app.Span().Class("value").Text(h.ApplianceID),
		)
	}

	state := h.Connection.State
	return app.Header().ID("dashboard-header").Class("dashboard-header").Body(
		app.Div().Class("identity").Body(
			app.H1().ID("config-name").Text(title),
			appliance,
		),
		app.P().
			ID("connection-state").
			Class("connection", "connection-"+string(state)).
			DataSet("state", string(state)).
			Body(
				app.Span().Class("connection-icon").Aria("hidden", "true").Text(connectionIcon(state)),
				app.Span().Class("connection-text").Text(h.Connection.Text),
			),
	)
}

// connectionIcon returns a glyph whose shape differs for every connection
// state. The text beside it carries the meaning.
func connectionIcon(s ConnectionState) string {
	switch s {
	case StateLive:
		return "●"
	case StateReconnecting:
		return "↻"
	case StateStale:
		return "◌"
	case StateUnavailable:
		return "▲"
	case StateDisabled:
		return "⊘"
	}
	return "○"
}

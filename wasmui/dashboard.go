package wasmui

import (
	"context"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/view"
)

// Dashboard is the page. It owns the relay connection and the feed, and it
// hands each panel its rows and the appliance's clock as props.
//
// Every field is touched only on the UI goroutine. The websocket client and
// the clock run on their own goroutines and reach the dashboard through
// ctx.Dispatch.
type Dashboard struct {
	app.Compo

	feed   *feed.Feed
	board  *view.Board
	client reconnecter
	stop   context.CancelFunc

	// socketOpen is true between the open and the close of connection conn.
	socketOpen bool
	conn       uint64
	// abandoned is the last connection the dashboard asked the client to
	// drop. Its messages still queued for the UI goroutine are ignored.
	abandoned uint64

	// now is the appliance's clock in Unix seconds at the last tick.
	now        int64
	connection Connection

	announcement string
	// announced is the set of waiting sessions whose SLA breach was
	// announced.
	announced map[int64]bool
}

// OnInit prepares an empty dashboard. It runs on the server too, where the
// page is prerendered with no data.
func (d *Dashboard) OnInit() {
	d.feed = feed.New()
	d.board = &view.Board{}
	d.announced = make(map[int64]bool)
	d.connection = describeConnection(connectionInput{})
}

// OnMount starts the relay client and the clock. go-app calls it only in
// the browser.
func (d *Dashboard) OnMount(ctx app.Context) {
	// app.Context is never cancelled, so the goroutines get their own
	// context for OnDismount to end.
	runCtx, stop := context.WithCancel(ctx)
	d.stop = stop

	url := socketURL(app.Window().URL(), app.Getenv("GOAPP_ROOT_PREFIX"))
	client := newRelayClient(url, func(ev event) {
		ctx.Dispatch(func(ctx app.Context) { d.handleEvent(ctx, ev) })
	})
	d.client = client
	ctx.Async(func() { client.Run(runCtx) })
	ctx.Async(func() { runClock(runCtx, ctx, d) })
	d.tick(time.Now())
}

// OnDismount closes the relay connection and stops the clock.
func (d *Dashboard) OnDismount() {
	if d.stop != nil {
		d.stop()
	}
}

// reconnecter is the part of relayClient the dashboard uses.
type reconnecter interface {
	Reconnect(conn uint64, cause error)
}

// runClock ticks the dashboard once a second, so the time cells advance
// without a board rebuild.
func runClock(runCtx context.Context, ctx app.Context, d *Dashboard) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-runCtx.Done():
			return
		case <-ticker.C:
			ctx.Dispatch(func(app.Context) { d.tick(time.Now()) })
		}
	}
}

func (d *Dashboard) handleEvent(ctx app.Context, ev event) {
	if d.apply(ev, time.Now()) {
		ctx.Page().SetTitle(d.title())
	}
}

// apply takes one client event at local time now and reports whether a new
// hello arrived, which changes the page title.
func (d *Dashboard) apply(ev event, now time.Time) (hello bool) {
	switch ev.Kind {
	case eventOpen:
		d.conn = ev.Conn
		d.socketOpen = true
	case eventClosed:
		if ev.Conn == d.conn {
			d.socketOpen = false
		}
		d.feed.Disconnected()
		app.Logf("relay connection %d closed: %v; reconnecting in %v",
			ev.Conn, ev.Err, ev.RetryIn.Round(time.Millisecond))
	case eventMessages:
		hello = d.applyFrames(ev)
		ev.Done()
	}
	d.tick(now)
	return hello
}

// applyFrames hands a batch to the feed and rebuilds the board once for
// the whole batch. A message the feed rejects makes the model unreliable,
// so the dashboard drops the connection and resynchronises from the next
// connection's snapshot.
func (d *Dashboard) applyFrames(ev event) (hello bool) {
	if ev.Conn <= d.abandoned {
		return false
	}

	var changed feed.Change
	for _, f := range ev.Frames {
		c, err := d.feed.Handle(f.Data, f.Received)
		changed |= c
		if err != nil {
			app.Logf("relay connection %d: message rejected, reconnecting: %v", ev.Conn, err)
			d.abandoned = ev.Conn
			d.feed.Disconnected()
			d.client.Reconnect(ev.Conn, err)
			break
		}
	}

	if changed&(feed.ChangedHello|feed.ChangedModel) != 0 {
		d.board = d.feed.Board()
	}
	return changed&feed.ChangedHello != 0
}

// tick advances the clock and the connection indicator to local time now.
func (d *Dashboard) tick(now time.Time) {
	d.now = d.feed.ApplianceNow(now)

	conn := describeConnection(connectionInput{
		SocketOpen: d.socketOpen,
		LastData:   d.feed.LastData(),
		Now:        now,
		Status:     d.feed.Status(),
		Synced:     d.feed.Synced(),
	})
	var news []string
	if conn.Label != d.connection.Label {
		news = append(news, "Connection: "+conn.Label)
	}
	d.connection = conn
	if text := d.checkBreaches(); text != "" {
		news = append(news, text)
	}
	if len(news) > 0 {
		d.announcement = strings.Join(news, ". ")
	}
}

// checkBreaches returns an announcement of the waiting sessions whose SLA
// breach is new, or "" when there is none. It keeps only breached sessions
// in d.announced, so a session that leaves the breach and breaches again is
// announced again.
func (d *Dashboard) checkBreaches() string {
	var fresh []*view.Waiting
	breached := make(map[int64]bool, len(d.announced))
	for i := range d.board.Waiting {
		w := &d.board.Waiting[i]
		if w.SLAState(d.now) != view.SLABreached {
			continue
		}
		breached[w.ID] = true
		if !d.announced[w.ID] {
			fresh = append(fresh, w)
		}
	}
	d.announced = breached
	return breachAnnouncement(fresh)
}

func (d *Dashboard) title() string {
	if h := d.feed.Hello(); h != nil && h.ConfigName != "" {
		return h.ConfigName + " – " + defaultTitle
	}
	return defaultTitle
}

// Render renders the header, the four panels and the live region for
// announcements.
func (d *Dashboard) Render() app.UI {
	var configName, applianceID string
	if h := d.feed.Hello(); h != nil {
		configName, applianceID = h.ConfigName, h.ApplianceID
	}
	b := d.board
	queues := capRows(b.Queues, rowLimit)
	waiting := capRows(b.Waiting, rowLimit)
	inProgress := capRows(b.InProgress, rowLimit)
	reps := capRows(b.Reps, rowLimit)

	return app.Div().
		ID("dashboard").
		Class("dashboard", "state-"+string(d.connection.State)).
		Body(
			&Header{ConfigName: configName, ApplianceID: applianceID, Connection: d.connection},
			app.Main().ID("panels").Class("panels").Body(
				&QueuesPanel{Rows: queues, Total: len(b.Queues), Now: d.now},
				&WaitingPanel{Rows: waiting, Total: len(b.Waiting), Now: d.now},
				&InProgressPanel{Rows: inProgress, Total: len(b.InProgress), Now: d.now},
				&RepsPanel{Rows: reps, Total: len(b.Reps), Now: d.now},
			),
			app.Div().
				ID("announcer").
				Class("visually-hidden").
				Role("status").
				Aria("live", "polite").
				Text(d.announcement),
		)
}

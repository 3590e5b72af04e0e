// Package wasmui is the browser side of the dashboard: go-app v10
// components that render the panels, the session details pop-up and the
// wall layout, and the relay client that keeps a feed.Feed in step with
// the relay. The client uses a websocket, or server-sent events where a
// proxy does not pass websockets. The page address chooses the layout
// (?layout=wall) and the theme (?theme=light or ?theme=dark), in any case;
// the browser's console names the accepted values of any other.
//
// Register adds the dashboard route. The relay calls it natively so that
// app.Handler can prerender the page, and the WebAssembly program calls it
// before app.RunWhenOnBrowser. Code that needs a browser (the relay client
// and the clock) starts only in OnMount, which go-app calls only in the
// browser, so the package is safe to use on the server.
//
// Stable hooks for tests and styles:
//   - sections #panel-waiting, #panel-inprogress, #panel-closed,
//     #panel-queues and #panel-reps. Once the relay sends a CSAT figure,
//     #panel-csat too, with data-csat "available" or "unavailable". Each
//     panel's heading .panel-title contains its row count in .count. A
//     panel with no rows shows its message in .empty. A panel that shows
//     only its first rows states how many in .panel-note above them, an
//     element that stays in the page, empty and hidden, otherwise;
//   - rows tr[data-queue-id] (with data-sla and data-over-sla, the count of
//     waiting sessions over the SLA), tr[data-session-id] (waiting, in
//     progress and closed, the waiting ones with data-sla), tr[data-lsid]
//     (closed) and tr[data-rep-id], each carrying the appliance's row id;
//   - #connection-state with data-state set to one of the ConnectionState
//     values, and its text in .connection-text;
//   - #filter-state, while the relay filters teams or start methods, with
//     the filters in words;
//   - #transport, once a connection opened, with data-transport
//     "websocket" or "stream" (the Transport values) for the last
//     connection, and its text in .transport-text;
//   - #announcer, the page's one polite live region;
//   - with session details on, button.details-button#details-button-<lsid>
//     per closed row, which keeps the focus on its session while rows
//     arrive above it, and the pop-up dialog#details-dialog with
//     data-state "closed", "loading", "loaded" or "error", #details-close,
//     #details-status and the facts [data-fact] and survey answers
//     [data-question];
//   - with ?layout=wall, #wall-summary with tiles [data-tile] ("waiting",
//     "longest-wait", "over-sla", "in-progress", "reps").
//
// The page records the User Timing measures rtd-board-update and
// rtd-board-build; see boardMeasure.
package wasmui

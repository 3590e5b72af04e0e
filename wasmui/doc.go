// Package wasmui is the browser side of the dashboard: go-app v10
// components that render the panels, and the websocket client that keeps a
// feed.Feed in step with the relay.
//
// Register adds the dashboard route. The relay calls it natively so that
// app.Handler can prerender the page, and the WebAssembly program calls it
// before app.RunWhenOnBrowser. Code that needs a browser (the websocket
// client and the clock) starts only in OnMount, which go-app calls only in
// the browser, so the package is safe to use on the server.
//
// Stable hooks for tests and styles:
//   - sections #panel-queues, #panel-waiting, #panel-inprogress and
//     #panel-reps;
//   - rows tr[data-queue-id], tr[data-session-id] (waiting and in
//     progress) and tr[data-rep-id], each carrying the appliance's row id;
//   - #connection-state with data-state set to one of the ConnectionState
//     values.
package wasmui

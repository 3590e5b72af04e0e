// Package server is the relay's HTTP side: the WebAssembly app, the browser
// websocket, the JSON API, health checks and metrics, all below one base
// path.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/relay/metrics"
)

// Options configure the handler.
type Options struct {
	// BasePath is "" or a path prefix such as "/dashboard", without a
	// trailing slash, under which a reverse proxy forwards requests.
	BasePath string
	// AllowedOrigins are extra host patterns (such as "dash.example.com" or
	// "*.example.com") whose pages may open the websocket, for proxies that
	// rewrite the Host header.
	AllowedOrigins []string
	// Title is the page title.
	Title string
	// HeartbeatInterval is how often browsers get a heartbeat; 0 means 5 s.
	HeartbeatInterval time.Duration

	Hub     *hub.Hub
	Metrics *metrics.Metrics
	// App serves the WebAssembly app; nil serves 404 for app paths.
	App http.Handler
	// Details serves GET /api/v1/sessions/{lsid}. When it is nil, that path
	// returns 404.
	Details http.Handler
	Logger  *slog.Logger
}

// New returns the relay's HTTP handler.
func New(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if o.Hub.Ready() {
			writeText(w, http.StatusOK, "ready\n")
			return
		}
		s := o.Hub.Status()
		msg := "not ready: appliance " + s.Appliance
		if s.Reason != "" {
			msg += ": " + s.Reason
		}
		if s.Detail != "" {
			msg += " (" + s.Detail + ")"
		}
		writeText(w, http.StatusServiceUnavailable, msg+"\n")
	})
	mux.HandleFunc("GET /api/v1/snapshot", func(w http.ResponseWriter, r *http.Request) {
		body, ok := o.Hub.APISnapshotJSON()
		if !ok {
			writeText(w, http.StatusServiceUnavailable, "no snapshot yet: the relay has not received the appliance's model\n")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
	if o.Metrics != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(o.Metrics.Registry, promhttp.HandlerOpts{}))
	}
	mux.Handle("GET /api/v1/ws", &socketHandler{
		hub:            o.Hub,
		allowedOrigins: o.AllowedOrigins,
		metrics:        o.Metrics,
		log:            o.Logger,
	})
	mux.Handle("GET /api/v1/stream", &streamHandler{
		hub:            o.Hub,
		allowedOrigins: o.AllowedOrigins,
		metrics:        o.Metrics,
		log:            o.Logger,
	})
	// app.Handler fetches these from its own public address, so the relay
	// serves them here instead.
	for _, p := range []string{"/robots.txt", "/sitemap.xml", "/ads.txt"} {
		mux.Handle("GET "+p, http.NotFoundHandler())
	}
	if o.Details != nil {
		mux.Handle("GET /api/v1/sessions/{lsid}", o.Details)
	}
	// Every route serves GET (and so HEAD) only. The standard mux responds
	// to other methods with 405 and an Allow header.
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusNotFound, "not found\n")
	})
	if o.App != nil {
		mux.Handle("GET /", o.App)
	}

	var h http.Handler = mux
	if o.BasePath != "" {
		outer := http.NewServeMux()
		outer.Handle(o.BasePath+"/", http.StripPrefix(o.BasePath, mux))
		outer.Handle(o.BasePath, http.RedirectHandler(o.BasePath+"/", http.StatusMovedPermanently))
		h = outer
	}
	return securityHeaders(h)
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text))
}

// contentSecurityPolicy lets the page load only its own files. The
// WebAssembly app needs 'wasm-unsafe-eval' to compile app.wasm, and go-app
// sets style attributes from the program, which needs 'unsafe-inline' for
// styles. No inline script is allowed. connect-src 'self' covers the
// websocket of the same origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
	"worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; " +
	"form-action 'self'; frame-ancestors 'none'"

// securityHeaders adds headers every response gets.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}

package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// networkOnlyWorker replaces go-app's cache-first service worker. A live
// dashboard is useless offline, and a cached app shell would keep old code
// running after an upgrade, so this worker clears earlier caches and caches
// nothing. The version comment makes its bytes change with every build, so
// browsers pick up a new app.
const networkOnlyWorker = `// version {{.Version}}
self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      await caches.delete(key);
    }
    await self.clients.claim();
  })());
});
`

// AppOptions configure the WebAssembly app's handler.
type AppOptions struct {
	BasePath string // as in Options
	Title    string
	// Web holds web/app.css, web/icon.svg, web/icon-192.png,
	// web/icon-512.png and the build outputs web/app.wasm, web/app.wasm.br
	// and web/app.wasm.gz.
	Web fs.FS
}

// NewApp returns the handler of the WebAssembly app. Routes must have been
// registered with app.Route before it serves. It reports false when the
// build output web/app.wasm is missing, in which case the page loads but
// the app cannot start.
func NewApp(o AppOptions) (http.Handler, bool) {
	wasm, err := fs.ReadFile(o.Web, "web/app.wasm")
	found := err == nil
	version := "missing-app-wasm"
	if found {
		sum := sha256.Sum256(wasm)
		version = hex.EncodeToString(sum[:6])
	}
	h := &app.Handler{
		Name:        "Real-Time Dashboard",
		ShortName:   "Dashboard",
		Author:      "Real-Time Dashboard relay",
		Title:       o.Title,
		Description: "Live queues, waiting customers, sessions and representatives of a BeyondTrust Remote Support site",
		Lang:        "en",
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		Styles:                []string{"/web/app.css"},
		Version:               version,
		LoadingLabel:          "Loading dashboard {progress}%",
		BackgroundColor:       "#1b1f24",
		ThemeColor:            "#1b1f24",
		ServiceWorkerTemplate: networkOnlyWorker,
		WasmContentLength:     strconv.Itoa(len(wasm)),
		Resources: resources{
			prefix: o.BasePath,
			fsys:   o.Web,
			files:  http.FileServerFS(o.Web),
		},
	}
	return h, found
}

// resources serves /web/* from the embedded files and prefixes every
// resource URL with the base path, for a dashboard below a sub-path of a
// reverse proxy. go-app's own prefixed resolvers only work for static
// site generation.
type resources struct {
	prefix string
	fsys   fs.FS
	files  http.Handler
}

func (r resources) Resolve(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	if p == "" || p == "/" {
		return r.prefix + "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if r.prefix != "" && (p == r.prefix || strings.HasPrefix(p, r.prefix+"/")) {
		return p
	}
	return r.prefix + p
}

// ServeHTTP serves web files; app.wasm goes out precompressed (brotli or
// gzip) when the browser accepts it, because go-app never compresses.
func (r resources) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/web/app.wasm" {
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !acceptsEncoding(req.Header.Get("Accept-Encoding"), enc.token) {
				continue
			}
			b, err := fs.ReadFile(r.fsys, "web/app.wasm"+enc.ext)
			if err != nil {
				continue
			}
			w.Header().Set("Content-Type", "application/wasm")
			w.Header().Set("Content-Encoding", enc.token)
			w.Header().Set("Vary", "Accept-Encoding")
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			if req.Method != http.MethodHead {
				_, _ = w.Write(b)
			}
			return
		}
	}
	if strings.HasSuffix(req.URL.Path, "/") {
		// No folder listings.
		http.NotFound(w, req)
		return
	}
	r.files.ServeHTTP(w, req)
}

// acceptsEncoding reports whether an Accept-Encoding header accepts the
// coding, honouring q=0.
func acceptsEncoding(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return !strings.HasPrefix(params, "q=0") || strings.HasPrefix(params, "q=0.") && strings.Trim(params[4:], "0") != ""
	}
	return false
}

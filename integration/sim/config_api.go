package sim

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// configAPIPrefix is the base path of the Configuration API.
const configAPIPrefix = "/api/config/v1/"

// ConfigAPIConfig holds the switches of the Configuration API.
type ConfigAPIConfig struct {
	// BadPageStatus is the HTTP status for a per_page outside 5–100 or a
	// current_page below 1; 0 means 401. The vendor returns 401 for
	// parameters it does not recognise and is believed to treat invalid
	// pagination values the same way. 400 is the common alternative.
	BadPageStatus int
}

// configTeam is a /team resource.
// NOTE: it carries only the documented create fields the simulator has
// values for. The persistent-queue flag is left out because its JSON key
// is not documented.
type configTeam struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	CodeName        string  `json:"code_name"`
	Comments        *string `json:"comments"`
	PublicPortalIDs []int64 `json:"public_portal_ids"`
}

// configError is the JSON body of a Configuration API error.
type configError struct {
	Message string `json:"message"`
}

// handleConfig serves GET and HEAD of /team, /team/{id}, /public-portal
// and /public-portal/{id} under /api/config/v1/. Lists are bare JSON
// arrays with pagination headers.
func (s *Simulator) handleConfig(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	resource, id, hasID := strings.Cut(strings.TrimPrefix(r.URL.Path, configAPIPrefix), "/")
	if resource != "team" && resource != "public-portal" {
		writeJSON(w, http.StatusNotFound, configError{Message: "unknown resource " + r.URL.Path})
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		w.Header().Set("Allow", "GET,HEAD")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		w.Header().Set("Allow", "GET,HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, configError{Message: "method " + r.Method + " is not allowed; use GET or HEAD"})
		return
	}
	if !s.validBearer(r) {
		s.log.Info("configuration request rejected: missing or invalid bearer token", "remote", r.RemoteAddr)
		writeJSON(w, http.StatusUnauthorized, configError{Message: "invalid or expired access token"})
		return
	}
	query := r.URL.Query()
	allowed := map[string]bool{"per_page": !hasID, "current_page": !hasID}
	for name := range query {
		if !allowed[name] {
			s.log.Info("configuration request rejected: unknown query parameter", "path", r.URL.Path, "parameter", name)
			writeJSON(w, http.StatusUnauthorized, configError{Message: "unrecognized query parameter " + name})
			return
		}
	}
	items := s.configItems(resource)
	if hasID {
		s.serveConfigItem(w, r, items, id)
		return
	}
	s.serveConfigPage(w, r, items, query)
}

// configItems returns the resources of a collection with their ids.
func (s *Simulator) configItems(resource string) []configItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []configItem
	if resource == "public-portal" {
		for _, site := range s.site.publicSites {
			items = append(items, configItem{id: site.ID, body: site})
		}
		return items
	}
	var portals []int64
	for _, site := range s.site.publicSites {
		portals = append(portals, site.ID)
	}
	for _, t := range s.site.teams {
		items = append(items, configItem{id: t.supportTeamID, body: configTeam{
			ID: t.supportTeamID, Name: t.name, CodeName: t.codeName, PublicPortalIDs: portals,
		}})
	}
	return items
}

type configItem struct {
	id   int64
	body any
}

func (s *Simulator) serveConfigItem(w http.ResponseWriter, r *http.Request, items []configItem, id string) {
	number, err := strconv.ParseInt(id, 10, 64)
	for _, item := range items {
		if err == nil && item.id == number {
			writeConfigJSON(w, r, http.StatusOK, item.body)
			return
		}
	}
	writeConfigJSON(w, r, http.StatusNotFound, configError{Message: fmt.Sprintf("no resource with id %q", id)})
}

// serveConfigPage writes one page of a collection. A page past the last
// one is an empty array.
func (s *Simulator) serveConfigPage(w http.ResponseWriter, r *http.Request, items []configItem, query url.Values) {
	perPage, err := pageParameter(query, "per_page", 100, 5, 100)
	if err == nil {
		var page int
		page, err = pageParameter(query, "current_page", 1, 1, 1<<30)
		if err == nil {
			s.writePage(w, r, items, perPage, page)
			return
		}
	}
	status := s.cfg.ConfigAPI.BadPageStatus
	if status == 0 {
		status = http.StatusUnauthorized
	}
	writeConfigJSON(w, r, status, configError{Message: err.Error()})
}

func pageParameter(query url.Values, name string, fallback, low, high int) (int, error) {
	text, ok := query[name]
	if !ok {
		return fallback, nil
	}
	value, err := strconv.Atoi(text[0])
	if err != nil || len(text) != 1 || value < low || value > high {
		return 0, fmt.Errorf("invalid %s %q: want one whole number from %d to %d", name, strings.Join(text, ","), low, high)
	}
	return value, nil
}

func (s *Simulator) writePage(w http.ResponseWriter, r *http.Request, items []configItem, perPage, page int) {
	lastPage := max(1, (len(items)+perPage-1)/perPage)
	header := w.Header()
	header.Set("X-BT-Pagination-Current-Page", strconv.Itoa(page))
	header.Set("X-BT-Pagination-Per-Page", strconv.Itoa(perPage))
	header.Set("X-BT-Pagination-Last-Page", strconv.Itoa(lastPage))
	header.Set("X-BT-Pagination-Total", strconv.Itoa(len(items)))
	pageURL := func(n int) string {
		return fmt.Sprintf("<https://%s%s?per_page=%d&current_page=%d>", r.Host, r.URL.Path, perPage, n)
	}
	links := []string{pageURL(1) + `; rel="first"`}
	if page > 1 && page <= lastPage+1 {
		links = append(links, pageURL(page-1)+`; rel="previous"`)
	}
	if page < lastPage {
		links = append(links, pageURL(page+1)+`; rel="next"`)
	}
	links = append(links, pageURL(lastPage)+`; rel="last"`)
	header.Set("Link", strings.Join(links, ", "))

	bodies := []any{}
	for i := (page - 1) * perPage; i < len(items) && i < page*perPage; i++ {
		bodies = append(bodies, items[i].body)
	}
	writeConfigJSON(w, r, http.StatusOK, bodies)
}

// writeConfigJSON writes a JSON reply, without the body for HEAD.
func writeConfigJSON(w http.ResponseWriter, r *http.Request, status int, body any) {
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, body)
}

package sim

import (
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
)

// commandAction builds the XML reply of one Command API action. The reply
// value must marshal to the root element; writeCommandReply sets its
// namespace. More actions register themselves in commandActions from their
// own files.
type commandAction func(s *Simulator, req commandRequest) commandReply

// commandRequest is a Command API request: its parameters and the host it
// was sent to, for links in replies.
type commandRequest struct {
	params url.Values
	host   string
}

// commandReply is an XML document root whose namespace the handler sets.
type commandReply interface {
	setNamespace(namespace string)
}

// commandActions maps the action parameter to its handler.
var commandActions = map[string]commandAction{
	"get_api_info": (*Simulator).apiInfo,
}

// commandError is the <error> document the Command API returns for a
// failed request.
type commandError struct {
	XMLName xml.Name
	Message string `xml:",chardata"`
}

func (e *commandError) setNamespace(namespace string) {
	e.XMLName = xml.Name{Space: namespace, Local: "error"}
}

func newCommandError(format string, args ...any) *commandError {
	return &commandError{Message: fmt.Sprintf(format, args...)}
}

// handleCommand serves GET and POST /api/command?action=…. It requires a
// live bearer token and sets the Date header from the appliance clock.
func (s *Simulator) handleCommand(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	if s.cfg.Protocol.CloseCommandConnections {
		w.Header().Set("Connection", "close")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.writeCommandReply(w, http.StatusMethodNotAllowed, newCommandError("method %s is not allowed; use GET or POST", r.Method))
		return
	}
	if !s.validBearer(r) {
		s.log.Info("command request rejected: missing or invalid bearer token", "remote", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", "Bearer")
		s.writeCommandReply(w, http.StatusUnauthorized, newCommandError("invalid or expired access token"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeCommandReply(w, http.StatusBadRequest, newCommandError("invalid request parameters: %v", err))
		return
	}
	name := r.Form.Get("action")
	action, ok := commandActions[name]
	if !ok {
		s.log.Info("command request: unknown action", "action", name)
		s.writeCommandReply(w, http.StatusOK, newCommandError("unknown action %q", name))
		return
	}
	s.writeCommandReply(w, http.StatusOK, action(s, commandRequest{params: r.Form, host: r.Host}))
}

func (s *Simulator) writeCommandReply(w http.ResponseWriter, status int, reply commandReply) {
	reply.setNamespace(s.cfg.Protocol.CommandNamespace)
	body, err := xml.MarshalIndent(reply, "", "  ")
	if err != nil {
		s.log.Error("command reply encoding failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
	_, _ = w.Write([]byte("\n"))
}

// apiInformation is the get_api_info reply.
type apiInformation struct {
	XMLName     xml.Name
	APIVersion  string       `xml:"api_version"`
	CompanyName *string      `xml:"company_name,omitempty"`
	Timestamp   int64        `xml:"timestamp"`
	Permissions []permission `xml:"permissions>permission"`
}

type permission struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

func (a *apiInformation) setNamespace(namespace string) {
	a.XMLName = xml.Name{Space: namespace, Local: "api_information"}
}

// apiInfo builds the get_api_info reply: the API version, the company name, the
// appliance time in unix seconds and the account permissions.
func (s *Simulator) apiInfo(commandRequest) commandReply {
	protocol := s.cfg.Protocol
	info := &apiInformation{APIVersion: protocol.APIVersion, Timestamp: s.now().Unix()}
	if !protocol.OmitCompanyName {
		company := s.cfg.Company
		info.CompanyName = &company
	}
	for _, name := range slices.Sorted(maps.Keys(protocol.Permissions)) {
		info.Permissions = append(info.Permissions, permission{Name: name, Value: protocol.Permissions[name]})
	}
	return info
}

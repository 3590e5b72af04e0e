// Package sim is a simulator of a BeyondTrust Remote Support B Series
// Appliance for tests and demos. It serves the OAuth token endpoint, the
// Real-Time State API websocket (/nw) and the XML Command API over TLS with
// a certificate it generates, and keeps its own model of the site. The
// model is written independently of the relay, so tests can check the
// relay's view of the site against it.
//
// Points of the protocol that the vendor does not confirm are Config
// switches whose zero value is the most likely reading.
package sim

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Config configures a Simulator. The zero value of every switch is the
// behaviour believed closest to a real appliance.
type Config struct {
	ClientID     string // OAuth client id accepted by /oauth2/token
	ClientSecret string // OAuth client secret accepted by /oauth2/token
	Company      string // company API name: the NS01 line and get_api_info <company_name>
	Seed         int64  // seed of the scenario and of generated names and LSIDs
	// Scenario sets the site size and event rates. The zero value selects
	// SmallOffice().
	Scenario      ScenarioConfig
	Clock         Clock         // appliance clock; nil means the host clock
	ClockSkew     time.Duration // added to Clock, to simulate a drifting appliance
	TokenLifetime time.Duration // expires_in of granted tokens; 0 means 3600 s
	// BatchDelay is how long changes are collected into one model_update
	// before it is sent. 0 means 200 ms. The vendor promises at most 20 s.
	BatchDelay time.Duration
	Logger     *slog.Logger // nil discards logs

	Protocol ProtocolConfig
}

// ProtocolConfig holds the switches for protocol details the vendor does
// not confirm, and the limits. Zero values select the defaults named on
// each field.
type ProtocolConfig struct {
	// UseUpdateModelType sends "update_model", the message type of the
	// Bomgar-era development appliance, in place of "model_update".
	UseUpdateModelType bool
	// AuthenticateResponseType is the type of the reply to authenticate;
	// "" means "authenticate_response".
	AuthenticateResponseType string
	// SubscribeResponseType is the type of the reply to subscribe; "" means
	// "subscribe_response".
	SubscribeResponseType string
	// TextFrames sends server messages in text frames instead of the
	// binary frames the vendor documents.
	TextFrames bool
	// SplitFrameSize, when above 0, splits every server message into
	// websocket messages of at most this many bytes.
	SplitFrameSize int
	// PackMessages, when above 1, joins up to this many queued server
	// messages into one websocket message.
	PackMessages int
	// RequireApplicationChooser rejects clients whose first line is not the
	// legacy "NS01<company>" application chooser.
	RequireApplicationChooser bool
	// AllowMissingSubprotocol accepts /nw upgrades that do not offer the
	// "ingredi state api" subprotocol.
	AllowMissingSubprotocol bool
	// SubprotocolRejectStatus is the HTTP status for an upgrade without the
	// subprotocol; 0 means 400.
	SubprotocolRejectStatus int
	// StrictLineEnding waits for "\n" before handling a client line. By
	// default a websocket message that ends without "\n" but holds a
	// complete JSON value is handled as a line.
	StrictLineEnding bool
	// LegacyUsername and LegacyPassword, when both set, are accepted in
	// authenticate credentials as pre-OAuth appliances did.
	LegacyUsername string
	LegacyPassword string
	// KeepSocketsOnRevoke leaves sockets open when their token is revoked
	// (RevokeTokens, RegenerateSecret, or eviction by the 31st token). By
	// default such sockets are closed.
	KeepSocketsOnRevoke bool
	// CloseSocketsOnExpiry closes a socket once its token expires. By
	// default the token is checked only at authenticate.
	CloseSocketsOnExpiry bool
	// MaxConnections caps concurrent /nw sockets; 0 means 30.
	MaxConnections int
	// MaxTokens caps live tokens per client; 0 means 30.
	MaxTokens int
	// SendBuffer is the number of messages queued per socket before the
	// client counts as too slow and is disconnected; 0 means 256.
	SendBuffer int
	// APIVersion is get_api_info <api_version>; "" means "1.24.1".
	APIVersion string
	// OmitCompanyName leaves <company_name> out of get_api_info, as
	// RS 24.3 and later do.
	OmitCompanyName bool
	// CommandNamespace is the XML namespace of Command API replies; ""
	// means "http://www.beyondtrust.com/namespaces/API/command".
	CommandNamespace string
	// Permissions are listed by get_api_info; nil means DefaultPermissions.
	Permissions map[string]string
	// CloseCommandConnections sends "Connection: close" on Command API
	// replies, as the vendor requests of clients.
	CloseCommandConnections bool
}

// DefaultPermissions are the API account permissions get_api_info reports
// unless ProtocolConfig.Permissions is set: enough for a dashboard.
var DefaultPermissions = map[string]string{
	"perm_backup":                 "0",
	"perm_command":                "read_only",
	"perm_configuration":          "1",
	"perm_real_time_state":        "1",
	"perm_reporting_archive":      "0",
	"perm_reporting_license":      "0",
	"perm_reporting_presentation": "0",
	"perm_reporting_support":      "1",
}

// Simulator is a simulated appliance. All methods are safe for concurrent
// use.
type Simulator struct {
	cfg      Config
	clock    Clock
	log      *slog.Logger
	ca       *certificateAuthority
	scenario ScenarioConfig

	// mu guards the model, the site index, the sockets and the tokens, so
	// snapshots and batches reach every socket in model order.
	mu         sync.Mutex
	model      *model
	site       *site
	conns      map[*stateConn]struct{}
	tokens     tokenStore
	secret     string
	flushTimer *time.Timer
	nextBurst  time.Time // appliance time of the next scenario burst

	server   *http.Server
	listener net.Listener
	done     chan struct{}
	closed   bool
}

// New creates a simulator with its certificate and a populated site. It
// does not listen until Start.
func New(cfg Config) (*Simulator, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("sim: ClientID and ClientSecret must be set")
	}
	applyDefaults(&cfg)
	clock := cfg.Clock
	if clock == nil {
		clock = realClock{}
	}
	if cfg.ClockSkew != 0 {
		clock = skewedClock{base: clock, skew: cfg.ClockSkew}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	ca, err := newCertificateAuthority(time.Now())
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	scenario := cfg.Scenario
	if scenario.isZero() {
		scenario = SmallOffice()
	}
	scenario.applyDefaults()
	s := &Simulator{
		cfg:      cfg,
		clock:    clock,
		log:      logger,
		ca:       ca,
		scenario: scenario,
		model:    newModel(),
		conns:    map[*stateConn]struct{}{},
		secret:   cfg.ClientSecret,
		done:     make(chan struct{}),
	}

	s.site = newSite(s.model, s.clock.Now, cfg.Seed)
	s.populate()
	// The initial site is the model's starting state, not a change to send.
	s.model.takePending()
	return s, nil
}

func applyDefaults(cfg *Config) {
	p := &cfg.Protocol
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = time.Hour
	}
	if cfg.BatchDelay <= 0 {
		cfg.BatchDelay = 200 * time.Millisecond
	}
	if p.AuthenticateResponseType == "" {
		p.AuthenticateResponseType = "authenticate_response"
	}
	if p.SubscribeResponseType == "" {
		p.SubscribeResponseType = "subscribe_response"
	}
	if p.SubprotocolRejectStatus == 0 {
		p.SubprotocolRejectStatus = http.StatusBadRequest
	}

	if p.MaxConnections <= 0 {
		p.MaxConnections = 30
	}
	if p.MaxTokens <= 0 {
		p.MaxTokens = 30
	}
	if p.SendBuffer <= 0 {
		p.SendBuffer = 256
	}

	if p.APIVersion == "" {
		p.APIVersion = "1.24.1"
	}
	if p.CommandNamespace == "" {
		p.CommandNamespace = "http://www.beyondtrust.com/namespaces/API/command"
	}
	if p.Permissions == nil {
		p.Permissions = DefaultPermissions
	}
}

// Start listens on addr (for example "127.0.0.1:0") and serves TLS in the
// background until Close.
func (s *Simulator) Start(addr string) error {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sim: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/token", s.handleToken)
	mux.HandleFunc("/nw", s.handleState)
	mux.HandleFunc("/api/command", s.handleCommand)
	s.server = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{s.ca.leaf}, MinVersion: tls.VersionTLS12},
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.listener = tls.NewListener(listener, s.server.TLSConfig)
	go func() {
		if err := s.server.Serve(s.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("simulator server stopped", "err", err)
		}
	}()
	if s.cfg.Protocol.CloseSocketsOnExpiry {
		go s.expireSockets()
	}
	s.log.Info("simulator listening", "addr", listener.Addr().String())
	return nil
}

// Addr returns the host:port the simulator is bound to, or "" before Start.
func (s *Simulator) Addr() string {
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// CAPEM returns the PEM-encoded CA certificate that signed the server
// certificate. Clients add it to their root pool.
func (s *Simulator) CAPEM() []byte {
	return append([]byte(nil), s.ca.caPEM...)
}

// Close stops the server and closes every socket.
func (s *Simulator) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	if s.flushTimer != nil {
		s.flushTimer.Stop()
		s.flushTimer = nil
	}
	s.mu.Unlock()
	s.DropConnections()
	if s.server == nil {
		return nil
	}
	err := s.server.Close()
	s.log.Info("simulator stopped")
	return err
}

func (s *Simulator) now() time.Time { return s.clock.Now() }

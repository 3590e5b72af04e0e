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
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
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
	// CA is the certificate authority that signs the server certificate,
	// which New generates anew for each simulator. nil generates a CA for
	// this simulator only. LoadOrCreateCA keeps one across restarts.
	CA *CertificateAuthority

	// PublicSites are the public portals sessions come through; nil means
	// DefaultPublicSites. Site ids must be unique and above 0.
	PublicSites []PublicSite
	History     HistoryConfig // bounds of the closed-session history
	Surveys     SurveyConfig  // exit-survey answer rates

	Protocol  ProtocolConfig
	Reporting ReportingConfig
	ConfigAPI ConfigAPIConfig
	RateLimit RateLimitConfig
	Faults    FaultConfig
	// Record, when set, receives every frame sent to any /nw socket as one
	// JSON line; see RecordedFrame. Writes are serialised; a write error
	// stops the recording and is logged.
	Record io.Writer
	// Replay, when set, makes every subscribed /nw socket receive the frames
	// of a recorded trace in place of the live model; see ReplayConfig.
	Replay *ReplayConfig
}

// Simulator is a simulated appliance. All methods are safe for concurrent
// use.
type Simulator struct {
	cfg      Config
	clock    Clock
	log      *slog.Logger
	ca       *CertificateAuthority
	leaf     tls.Certificate // server certificate signed by ca
	scenario ScenarioConfig

	// mu guards the model, the site index, the sockets and the tokens, so
	// snapshots and batches reach every socket in model order.
	mu             sync.Mutex
	model          *model
	site           *site
	conns          map[*stateConn]struct{}
	tokens         tokenStore
	secret         string
	flushTimer     *time.Timer
	nextBurst      time.Time // appliance time of the next scenario burst
	faultCount     int
	lastConnNumber int

	limiter  *rateLimiter
	recorder *recorder
	replay   *replayTrack // nil unless Config.Replay is set
	stopRuns context.CancelFunc
	// faultsDone is closed when the fault schedule's goroutine has ended.
	faultsDone chan struct{}

	server   *http.Server
	listener net.Listener
	done     chan struct{}
	closed   bool
	// writers counts the running /nw write loops, so Close can wait until
	// no frame is written or recorded any more. Add is called under mu
	// while closed is false.
	writers sync.WaitGroup
}

// New creates a simulator with its certificate and a populated site. It
// does not listen until Start.
func New(cfg Config) (*Simulator, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("sim: ClientID and ClientSecret must be set")
	}
	if err := validateSites(cfg.PublicSites); err != nil {
		return nil, err
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

	ca := cfg.CA
	if ca == nil {
		var err error
		if ca, err = NewCertificateAuthority(); err != nil {
			return nil, err
		}
	}
	leaf, err := ca.issueServerCertificate()
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
		leaf:     leaf,
		scenario: scenario,
		model:    newModel(),
		conns:    map[*stateConn]struct{}{},
		secret:   cfg.ClientSecret,
		done:     make(chan struct{}),
	}

	s.limiter = newRateLimiter(cfg.RateLimit)
	if cfg.Record != nil {
		s.recorder = &recorder{out: cfg.Record}
	}
	if cfg.Replay != nil {
		if s.replay, err = newReplayTrack(cfg.Replay); err != nil {
			return nil, err
		}
	}
	s.site = newSite(s.model, s.clock.Now, cfg.Seed)
	if len(cfg.PublicSites) > 0 {
		s.site.publicSites = slices.Clone(cfg.PublicSites)
	}
	s.site.history = newSessionHistory(cfg.History)
	s.site.surveys = cfg.Surveys
	s.site.surveys.applyDefaults()
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
	cfg.Reporting.applyDefaults()
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
	mux.HandleFunc("/api/command", s.limited(s.handleCommand))
	mux.HandleFunc("/api/reporting", s.limited(s.handleReporting))
	mux.HandleFunc(configAPIPrefix, s.limited(s.handleConfig))
	s.server = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{s.leaf}, MinVersion: tls.VersionTLS12},
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
	if s.cfg.Faults.Interval > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		s.mu.Lock()
		s.stopRuns = cancel
		s.faultsDone = done
		s.mu.Unlock()
		go func() {
			defer close(done)
			s.runFaults(ctx)
		}()
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
	return s.ca.CertPEM()
}

// Close stops the server and closes every socket. It returns once no
// socket writes or records frames any more, so the caller may then close
// Config.Record.
func (s *Simulator) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	if s.stopRuns != nil {
		s.stopRuns()
	}
	if s.flushTimer != nil {
		s.flushTimer.Stop()
		s.flushTimer = nil
	}
	s.mu.Unlock()
	s.DropConnections()
	s.writers.Wait()
	if s.server == nil {
		return nil
	}
	err := s.server.Close()
	s.log.Info("simulator stopped")
	return err
}

func (s *Simulator) now() time.Time { return s.clock.Now() }

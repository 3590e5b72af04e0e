// Package config reads the relay's settings from environment variables.
//
// Every problem is collected into one error that names each variable, its
// value (never for secrets) and the expected form, so an administrator fixes
// all of them in one pass.
package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/rtdash/rtdash/shared/view"
)

// Config is the validated configuration of one relay, serving one appliance.
type Config struct {
	ConfigName  string // shown in the page title and logs
	ApplianceID string // a label for the appliance in the UI, logs and metrics

	ApplianceHost string // host or host:port of the B Series Appliance
	ClientID      string
	ClientSecret  string // never logged, never sent to a browser
	Locale        string // passed as locale to reporting and command calls

	Disabled          bool // serve the page, open no appliance connection
	AllowInvalidCerts bool // skip TLS verification of the appliance
	CAFile            string
	RootCAs           *x509.CertPool // system roots plus CAFile; nil when CAFile is empty
	Company           string
	LegacyChooser     bool // send the NS01<company> line before authenticating
	IdleTimeout       time.Duration
	CSATPollInterval  time.Duration // 0 turns CSAT off
	CSATQuestion      string
	CSATPublicSites   []int
	// TimeZone is where the support site's day starts, for "today" in
	// CSAT.
	TimeZone       *time.Location
	SessionDetails bool
	ListenAddr     string
	BasePath       string // "" for the root, otherwise "/path" without a trailing slash
	AllowedOrigins []string
	Display        view.Settings
	LogLevel       slog.Level
	LogJSON        bool
	// LogFile, when set, receives the logs instead of standard error, for
	// a Windows service, whose standard error goes nowhere.
	LogFile string

	// Warnings lists settings that are valid but probably not meant, such
	// as a misspelt variable name. The relay logs them at start.
	Warnings []string
}

// raw mirrors the environment variables as strings; parse turns it into a
// Config with messages written for administrators.
type raw struct {
	ConfigName        string `env:"RTD_CONFIG_NAME" envDefault:"default"`
	ApplianceID       string `env:"RTD_APPLIANCE_ID" envDefault:"Default"`
	ApplianceHost     string `env:"RTD_APPLIANCE_HOST"`
	ClientID          string `env:"RTD_CLIENT_ID"`
	ClientSecret      string `env:"RTD_CLIENT_SECRET"`
	ClientSecretFile  string `env:"RTD_CLIENT_SECRET_FILE"`
	Locale            string `env:"RTD_LOCALE" envDefault:"en-us"`
	Disabled          string `env:"RTD_DISABLED" envDefault:"false"`
	AllowInvalidCerts string `env:"RTD_ALLOW_INVALID_CERTS" envDefault:"false"`
	CAFile            string `env:"RTD_CA_FILE"`
	Company           string `env:"RTD_COMPANY"`
	LegacyChooser     string `env:"RTD_LEGACY_CHOOSER" envDefault:"false"`
	CSATPollMinutes   string `env:"RTD_CSAT_POLL_MINUTES" envDefault:"0"`
	CSATQuestion      string `env:"RTD_CSAT_QUESTION"`
	CSATPublicSites   string `env:"RTD_CSAT_PUBLIC_SITES"`
	TimeZone          string `env:"RTD_TIMEZONE" envDefault:"UTC"`
	AllowedTeams      string `env:"RTD_ALLOWED_TEAMS"`
	IgnoredTeams      string `env:"RTD_IGNORED_TEAMS"`
	StartMethods      string `env:"RTD_START_METHODS"`
	IdleTimeout       string `env:"RTD_IDLE_TIMEOUT_MINUTES" envDefault:"0"`
	WaitingSLAs       string `env:"RTD_WAITING_SLAS"`
	ListenAddr        string `env:"RTD_LISTEN_ADDR" envDefault:"127.0.0.1:53487"`
	BasePath          string `env:"RTD_BASE_PATH" envDefault:"/"`
	AllowedOrigins    string `env:"RTD_ALLOWED_ORIGINS"`
	RepNameFormat     string `env:"RTD_REP_NAME_FORMAT" envDefault:"public"`
	SessionDetails    string `env:"RTD_SESSION_DETAILS" envDefault:"false"`
	LogLevel          string `env:"RTD_LOG_LEVEL" envDefault:"info"`
	LogFormat         string `env:"RTD_LOG_FORMAT" envDefault:"text"`
	LogFile           string `env:"RTD_LOG_FILE"`
}

// Error lists every invalid setting found by Load.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// FromEnvironment reads the configuration from the process environment.
func FromEnvironment() (*Config, error) {
	return Load(Environment())
}

// Environment returns the process environment as a map, the form Load
// takes, for callers that add or override variables before loading.
func Environment() map[string]string {
	pairs := os.Environ()
	m := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// Load reads the configuration from the given variables. It returns an
// *Error listing every problem.
func Load(environment map[string]string) (*Config, error) {
	var r raw
	if err := env.ParseWithOptions(&r, env.Options{Environment: environment}); err != nil {
		return nil, fmt.Errorf("reading environment: %w", err)
	}
	p := &parser{}
	c := p.parse(&r)
	p.unknownVariables(environment)
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	c.Warnings = p.warnings
	return c, nil
}

// IsConfigError reports whether err came from invalid settings.
func IsConfigError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

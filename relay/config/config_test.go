package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rtdash/rtdash/relay/config"
	"github.com/rtdash/rtdash/shared/view"
)

// compareLocations compares time zones by name.
var compareLocations = cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })

// minimal returns the required settings plus extra.
func minimal(extra map[string]string) map[string]string {
	m := map[string]string{
		"RTD_APPLIANCE_HOST": "support.example.com",
		"RTD_CLIENT_ID":      "client-id",
		"RTD_CLIENT_SECRET":  "s3cret-value",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(minimal(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &config.Config{
		ConfigName:    "default",
		ApplianceID:   "Default",
		ApplianceHost: "support.example.com",
		ClientID:      "client-id",
		ClientSecret:  "s3cret-value",
		Locale:        "en-us",
		ListenAddr:    "127.0.0.1:53487",
		BasePath:      "",
		Display:       view.Settings{RepNameFormat: view.NamePublic},
		TimeZone:      time.UTC,
	}
	if diff := cmp.Diff(want, c, cmpopts.IgnoreUnexported(config.Config{}), compareLocations); diff != "" {
		t.Errorf("defaults mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadEverySetting(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(map[string]string{
		"RTD_CONFIG_NAME":          "East",
		"RTD_APPLIANCE_ID":         "east-1",
		"RTD_APPLIANCE_HOST":       "support.example.com:8443",
		"RTD_CLIENT_ID":            " id ",
		"RTD_CLIENT_SECRET_FILE":   secretFile,
		"RTD_LOCALE":               "DE-de",
		"RTD_DISABLED":             "yes",
		"RTD_ALLOW_INVALID_CERTS":  "1",
		"RTD_COMPANY":              "example",
		"RTD_LEGACY_CHOOSER":       "true",
		"RTD_CSAT_POLL_MINUTES":    "5",
		"RTD_CSAT_QUESTION":        "rating",
		"RTD_CSAT_PUBLIC_SITES":    "1, 3",
		"RTD_ALLOWED_TEAMS":        "Tier1, tier2",
		"RTD_IGNORED_TEAMS":        "vip",
		"RTD_START_METHODS":        "session_key,issue_submission",
		"RTD_IDLE_TIMEOUT_MINUTES": "10",
		"RTD_WAITING_SLAS":         "tier1=5, *=10",
		"RTD_LISTEN_ADDR":          "0.0.0.0:8080",
		"RTD_BASE_PATH":            "/dash/",
		"RTD_ALLOWED_ORIGINS":      "https://Dash.Example.com, *.corp.example",
		"RTD_REP_NAME_FORMAT":      "Private_Username",
		"RTD_SESSION_DETAILS":      "on",
		"RTD_LOG_LEVEL":            "debug",
		"RTD_LOG_FORMAT":           "json",
		"RTD_TIMEZONE":             "Europe/Berlin",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &config.Config{
		ConfigName:        "East",
		ApplianceID:       "east-1",
		ApplianceHost:     "support.example.com:8443",
		ClientID:          "id",
		ClientSecret:      "from-file",
		Locale:            "de-de",
		Disabled:          true,
		AllowInvalidCerts: true,
		Company:           "example",
		LegacyChooser:     true,
		IdleTimeout:       10 * time.Minute,
		CSATPollInterval:  5 * time.Minute,
		CSATQuestion:      "rating",
		CSATPublicSites:   []int{1, 3},
		SessionDetails:    true,
		ListenAddr:        "0.0.0.0:8080",
		BasePath:          "/dash",
		AllowedOrigins:    []string{"https://dash.example.com", "*.corp.example"},
		Display: view.Settings{
			AllowedTeams:  []string{"tier1", "tier2"},
			IgnoredTeams:  []string{"vip"},
			StartMethods:  []string{"session_key", "issue_submission"},
			WaitingSLAs:   view.SLAs{Teams: map[string]int64{"tier1": 300}, Default: 600},
			RepNameFormat: view.NamePrivateUsername,
		},
		LogLevel: -4,
		LogJSON:  true,
		TimeZone: berlin,
	}
	if diff := cmp.Diff(want, c, cmpopts.IgnoreUnexported(config.Config{}), cmpopts.IgnoreFields(config.Config{}, "RootCAs"), compareLocations); diff != "" {
		t.Errorf("configuration mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // a line of the error
	}{
		{"missing host", map[string]string{"RTD_APPLIANCE_HOST": ""}, "RTD_APPLIANCE_HOST: missing"},
		{"host with scheme", map[string]string{"RTD_APPLIANCE_HOST": "https://support.example.com"}, `RTD_APPLIANCE_HOST="https://support.example.com": drop the scheme`},
		{"host with path", map[string]string{"RTD_APPLIANCE_HOST": "support.example.com/login"}, "drop the path, query or user part"},
		{"host with query", map[string]string{"RTD_APPLIANCE_HOST": "support.example.com?x=1"}, "drop the path, query or user part"},
		{"host bad port", map[string]string{"RTD_APPLIANCE_HOST": "support.example.com:99999"}, `invalid port "99999"`},
		{"missing client id", map[string]string{"RTD_CLIENT_ID": ""}, "RTD_CLIENT_ID: missing"},
		{"missing secret", map[string]string{"RTD_CLIENT_SECRET": ""}, "RTD_CLIENT_SECRET: missing"},
		{"both secrets", map[string]string{"RTD_CLIENT_SECRET_FILE": "/x"}, "set either RTD_CLIENT_SECRET or RTD_CLIENT_SECRET_FILE, not both"},
		{"secret file missing", map[string]string{"RTD_CLIENT_SECRET": "", "RTD_CLIENT_SECRET_FILE": "/nonexistent/secret"}, `RTD_CLIENT_SECRET_FILE="/nonexistent/secret": cannot read the file`},
		{"bad bool", map[string]string{"RTD_DISABLED": "maybe"}, `RTD_DISABLED="maybe": want true or false`},
		{"bad minutes", map[string]string{"RTD_CSAT_POLL_MINUTES": "-1"}, `RTD_CSAT_POLL_MINUTES="-1": want a whole number of minutes`},
		{"csat without question", map[string]string{"RTD_CSAT_POLL_MINUTES": "5"}, "RTD_CSAT_QUESTION: missing"},
		{"bad site list", map[string]string{"RTD_CSAT_PUBLIC_SITES": "1,x"}, `invalid item "x"`},
		{"bad team code", map[string]string{"RTD_ALLOWED_TEAMS": "tier 1"}, `RTD_ALLOWED_TEAMS="tier 1": invalid code name "tier 1"`},
		{"bad sla", map[string]string{"RTD_WAITING_SLAS": "tier1"}, `RTD_WAITING_SLAS="tier1": invalid SLA "tier1"`},
		{"bad sla minutes", map[string]string{"RTD_WAITING_SLAS": "tier1=soon"}, "want a number of minutes"},
		{"bad listen", map[string]string{"RTD_LISTEN_ADDR": "53487"}, `RTD_LISTEN_ADDR="53487": want host:port`},
		{"bad base path", map[string]string{"RTD_BASE_PATH": "dash"}, `RTD_BASE_PATH="dash": want a path such as /`},
		{"bad origin", map[string]string{"RTD_ALLOWED_ORIGINS": "https://x.example/path"}, `invalid origin "https://x.example/path"`},
		{"bad name format", map[string]string{"RTD_REP_NAME_FORMAT": "full"}, `RTD_REP_NAME_FORMAT="full": want public, private, username or private_username`},
		{"chooser without company", map[string]string{"RTD_LEGACY_CHOOSER": "true"}, "RTD_COMPANY: missing"},
		{"bad locale", map[string]string{"RTD_LOCALE": "english!"}, `RTD_LOCALE="english!"`},
		{"bad ca file", map[string]string{"RTD_CA_FILE": "/nonexistent/ca.pem"}, `RTD_CA_FILE="/nonexistent/ca.pem": cannot read the file`},
		{"bad log level", map[string]string{"RTD_LOG_LEVEL": "loud"}, `RTD_LOG_LEVEL="loud"`},
		{"bad time zone", map[string]string{"RTD_TIMEZONE": "Mars/Olympus"}, `RTD_TIMEZONE="Mars/Olympus": want an IANA time zone name`},
		{"host with space", map[string]string{"RTD_APPLIANCE_HOST": "support example.com"}, "a host name has no spaces"},
		{"ipv6 without brackets", map[string]string{"RTD_APPLIANCE_HOST": "2001:db8::1"}, "write an IPv6 address in brackets"},
		{"base path dot segment", map[string]string{"RTD_BASE_PATH": "/../x"}, "a path segment . or .. is not allowed"},
		{"log folder missing", map[string]string{"RTD_LOG_FILE": "/nonexistent/dir/relay.log"}, `RTD_LOG_FILE="/nonexistent/dir/relay.log": the folder /nonexistent/dir does not exist`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(minimal(tc.env))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !config.IsConfigError(err) {
				t.Errorf("error is not a configuration error: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error does not contain %q:\n%v", tc.want, err)
			}
		})
	}
}

func TestLoadListsEveryProblem(t *testing.T) {
	_, err := config.Load(map[string]string{
		"RTD_CLIENT_SECRET":   "never-shown-secret",
		"RTD_DISABLED":        "perhaps",
		"RTD_REP_NAME_FORMAT": "nickname",
	})
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	msg := err.Error()
	for _, variable := range []string{"RTD_APPLIANCE_HOST", "RTD_CLIENT_ID", "RTD_DISABLED", "RTD_REP_NAME_FORMAT"} {
		if !strings.Contains(msg, variable) {
			t.Errorf("error does not name %s:\n%s", variable, msg)
		}
	}
	if strings.Contains(msg, "never-shown-secret") {
		t.Errorf("error contains the client secret:\n%s", msg)
	}
}

func TestLoadCAFile(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(minimal(map[string]string{"RTD_CA_FILE": notPEM}))
	if err == nil || !strings.Contains(err.Error(), "no PEM certificate found") {
		t.Errorf("error = %v, want one saying no PEM certificate was found", err)
	}
}

func TestLoadWarnings(t *testing.T) {
	c, err := config.Load(minimal(map[string]string{
		"RTD_WAITNG_SLAS":     "*=5",
		"RTD_SOMETHING_ELSE":  "x",
		"RTD_ALLOWED_ORIGINS": "*",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`RTD_ALLOWED_ORIGINS contains "*", which lets pages of every origin open the dashboard's websocket and event stream`,
		"RTD_SOMETHING_ELSE is not a setting of the relay and is ignored",
		"RTD_WAITNG_SLAS is not a setting of the relay and is ignored; did you mean RTD_WAITING_SLAS?",
	}
	if diff := cmp.Diff(want, c.Warnings); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
}

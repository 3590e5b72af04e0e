package config

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rtdash/rtdash/shared/view"
)

// parser converts raw settings and collects the problems it finds, and
// warnings about settings that are valid but probably not meant.
type parser struct {
	problems []string
	warnings []string
}

func (p *parser) warn(format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf(format, args...))
}

func (p *parser) fail(variable, value, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if value == "" {
		p.problems = append(p.problems, fmt.Sprintf("%s: %s", variable, msg))
		return
	}
	p.problems = append(p.problems, fmt.Sprintf("%s=%q: %s", variable, value, msg))
}

func (p *parser) parse(r *raw) *Config {
	c := &Config{
		ConfigName:   strings.TrimSpace(r.ConfigName),
		ApplianceID:  strings.TrimSpace(r.ApplianceID),
		ClientID:     strings.TrimSpace(r.ClientID),
		Company:      strings.TrimSpace(r.Company),
		CSATQuestion: strings.TrimSpace(r.CSATQuestion),
		CAFile:       strings.TrimSpace(r.CAFile),
	}
	c.ApplianceHost = p.host(r.ApplianceHost)
	if c.ClientID == "" {
		p.fail("RTD_CLIENT_ID", "", "missing: set the OAuth Client ID of the appliance's API account")
	}
	c.ClientSecret = p.secret(r.ClientSecret, r.ClientSecretFile)
	c.Locale = p.locale(r.Locale)

	c.Disabled = p.boolean("RTD_DISABLED", r.Disabled)
	c.AllowInvalidCerts = p.boolean("RTD_ALLOW_INVALID_CERTS", r.AllowInvalidCerts)
	c.LegacyChooser = p.boolean("RTD_LEGACY_CHOOSER", r.LegacyChooser)
	c.SessionDetails = p.boolean("RTD_SESSION_DETAILS", r.SessionDetails)
	if c.LegacyChooser && c.Company == "" {
		p.fail("RTD_COMPANY", "", "missing: RTD_LEGACY_CHOOSER needs the Company API Name shown on /login > Status > Information")
	}
	if c.CAFile != "" {
		c.RootCAs = p.caFile(c.CAFile)
	}

	c.IdleTimeout = time.Duration(p.minutes("RTD_IDLE_TIMEOUT_MINUTES", r.IdleTimeout)) * time.Minute
	c.CSATPollInterval = time.Duration(p.minutes("RTD_CSAT_POLL_MINUTES", r.CSATPollMinutes)) * time.Minute
	if c.CSATPollInterval > 0 && c.CSATQuestion == "" {
		p.fail("RTD_CSAT_QUESTION", "", "missing: CSAT polling is on, so set the code name of the exit-survey question to average, or set RTD_CSAT_POLL_MINUTES=0")
	}
	c.CSATPublicSites = p.intList("RTD_CSAT_PUBLIC_SITES", r.CSATPublicSites)
	c.TimeZone = p.timeZone(r.TimeZone)

	c.Display.AllowedTeams = p.codeNames("RTD_ALLOWED_TEAMS", r.AllowedTeams)
	c.Display.IgnoredTeams = p.codeNames("RTD_IGNORED_TEAMS", r.IgnoredTeams)
	c.Display.StartMethods = p.codeNames("RTD_START_METHODS", r.StartMethods)
	if slas, err := view.ParseSLAs(r.WaitingSLAs); err != nil {
		p.fail("RTD_WAITING_SLAS", r.WaitingSLAs, "%v", err)
	} else {
		c.Display.WaitingSLAs = slas
	}
	if f, err := view.ParseNameFormat(r.RepNameFormat); err != nil {
		p.fail("RTD_REP_NAME_FORMAT", r.RepNameFormat, "want public, private, username or private_username")
	} else {
		c.Display.RepNameFormat = f
	}

	c.ListenAddr = p.listenAddr(r.ListenAddr)
	c.BasePath = p.basePath(r.BasePath)
	c.AllowedOrigins = p.origins(r.AllowedOrigins)
	c.LogLevel, c.LogJSON = p.logging(r.LogLevel, r.LogFormat)
	c.LogFile = p.logFile(r.LogFile)
	return c
}

func (p *parser) host(value string) string {
	const variable = "RTD_APPLIANCE_HOST"
	h := strings.TrimSpace(value)
	switch {
	case h == "":
		p.fail(variable, "", "missing: set the appliance's host name, such as support.example.com")
		return ""
	case strings.Contains(h, "://"):
		p.fail(variable, value, "drop the scheme: write the host name only, such as support.example.com")
		return ""
	case strings.ContainsAny(h, " \t"):
		p.fail(variable, value, "a host name has no spaces: write host or host:port only, such as support.example.com")
		return ""
	case strings.ContainsAny(h, "/?#@"):
		p.fail(variable, value, "drop the path, query or user part: write host or host:port only, such as support.example.com")
		return ""
	case strings.Count(h, ":") > 1 && !strings.HasPrefix(h, "["):
		p.fail(variable, value, "write an IPv6 address in brackets, such as [2001:db8::1] or [2001:db8::1]:443")
		return ""
	}
	hostname := h
	if strings.Contains(h, ":") && !strings.HasSuffix(h, "]") {
		var port string
		var err error
		hostname, port, err = net.SplitHostPort(h)
		if err != nil {
			p.fail(variable, value, "want host or host:port, such as support.example.com:443")
			return ""
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			p.fail(variable, value, "invalid port %q: want 1 to 65535", port)
			return ""
		}
	}
	if _, err := url.Parse("https://" + h); err != nil || hostname == "" {
		p.fail(variable, value, "want host or host:port, such as support.example.com")
		return ""
	}
	return h
}

func (p *parser) secret(value, file string) string {
	value = strings.TrimSpace(value)
	file = strings.TrimSpace(file)
	switch {
	case value != "" && file != "":
		p.fail("RTD_CLIENT_SECRET", "", "set either RTD_CLIENT_SECRET or RTD_CLIENT_SECRET_FILE, not both")
		return ""
	case value != "":
		return value
	case file == "":
		p.fail("RTD_CLIENT_SECRET", "", "missing: set RTD_CLIENT_SECRET, or RTD_CLIENT_SECRET_FILE to a file that contains the OAuth Client Secret")
		return ""
	}
	b, err := os.ReadFile(file)
	if err != nil {
		p.fail("RTD_CLIENT_SECRET_FILE", file, "cannot read the file: %v", err)
		return ""
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		p.fail("RTD_CLIENT_SECRET_FILE", file, "the file is empty: write the OAuth Client Secret into it")
	}
	return s
}

var localePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

func (p *parser) locale(value string) string {
	l := strings.ToLower(strings.TrimSpace(value))
	if !localePattern.MatchString(l) {
		p.fail("RTD_LOCALE", value, "want a locale code such as en-us or de-de")
	}
	return l
}

func (p *parser) boolean(variable, value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "", "false", "0", "no", "off":
		return false
	case "true", "1", "yes", "on":
		return true
	}
	p.fail(variable, value, "want true or false")
	return false
}

func (p *parser) minutes(variable, value string) int {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 24*60 {
		p.fail(variable, value, "want a whole number of minutes from 0 (off) to 1440")
		return 0
	}
	return n
}

// splitList splits a comma-separated list, trimming spaces and dropping
// empty items.
func splitList(value string) []string {
	var items []string
	for _, item := range strings.Split(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

func (p *parser) intList(variable, value string) []int {
	var out []int
	for _, item := range splitList(value) {
		n, err := strconv.Atoi(item)
		if err != nil || n < 1 {
			p.fail(variable, value, "invalid item %q: want a comma-separated list of public site ids, such as 1,3", item)
			continue
		}
		out = append(out, n)
	}
	return out
}

var codeNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_\-]+$`)

func (p *parser) codeNames(variable, value string) []string {
	var out []string
	for _, item := range splitList(value) {
		if !codeNamePattern.MatchString(item) {
			p.fail(variable, value, "invalid code name %q: want letters, digits, _ and -, comma-separated", item)
			continue
		}
		out = append(out, strings.ToLower(item))
	}
	return out
}

func (p *parser) listenAddr(value string) string {
	addr := strings.TrimSpace(value)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		p.fail("RTD_LISTEN_ADDR", value, "want host:port, such as 127.0.0.1:53487")
		return ""
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.fail("RTD_LISTEN_ADDR", value, "invalid port %q: want 0 to 65535", port)
		return ""
	}
	if host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, "/ ") {
		p.fail("RTD_LISTEN_ADDR", value, "want an IP address or host name before the port")
	}
	return addr
}

var basePathPattern = regexp.MustCompile(`^(/[a-zA-Z0-9._~\-]+)*/?$`)

func (p *parser) basePath(value string) string {
	v := strings.TrimSpace(value)
	if v == "" {
		return ""
	}
	for _, segment := range strings.Split(v, "/") {
		if segment == "." || segment == ".." {
			p.fail("RTD_BASE_PATH", value, "a path segment . or .. is not allowed, because browsers resolve it away: write the path a browser shows, such as /dashboard")
			return ""
		}
	}
	if !basePathPattern.MatchString(v) {
		p.fail("RTD_BASE_PATH", value, "want a path such as / or /dashboard: it starts with /, holds letters, digits, . _ ~ - and no query")
		return ""
	}
	return strings.TrimSuffix(v, "/")
}

func (p *parser) origins(value string) []string {
	var out []string
	for _, item := range splitList(value) {
		pattern := strings.ToLower(item)
		if strings.Contains(item, "://") {
			u, err := url.Parse(item)
			if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				p.fail("RTD_ALLOWED_ORIGINS", value, "invalid origin %q: want scheme://host[:port] or a host pattern such as *.example.com", item)
				continue
			}
			// The scheme stays part of the pattern, so that
			// https://dash.example.com does not also admit http pages.
			pattern = strings.ToLower(u.Scheme + "://" + u.Host)
		} else if strings.ContainsAny(item, "/ ") {
			p.fail("RTD_ALLOWED_ORIGINS", value, "invalid origin %q: want scheme://host[:port] or a host pattern such as *.example.com", item)
			continue
		}
		if pattern == "*" || pattern == "*://*" {
			p.warn("RTD_ALLOWED_ORIGINS contains %q, which lets pages of every origin open the dashboard's websocket and event stream", item)
		}
		out = append(out, pattern)
	}
	return out
}

func (p *parser) caFile(path string) *x509.CertPool {
	pem, err := os.ReadFile(path)
	if err != nil {
		p.fail("RTD_CA_FILE", path, "cannot read the file: %v", err)
		return nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		p.fail("RTD_CA_FILE", path, "no PEM certificate found: want a file with -----BEGIN CERTIFICATE----- blocks")
		return nil
	}
	return pool
}

func (p *parser) logging(level, format string) (slog.Level, bool) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(level))); err != nil {
		p.fail("RTD_LOG_LEVEL", level, "want debug, info, warn or error")
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "text":
		return l, false
	case "json":
		return l, true
	}
	p.fail("RTD_LOG_FORMAT", format, "want text or json")
	return l, false
}

func (p *parser) timeZone(value string) *time.Location {
	name := strings.TrimSpace(value)
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		p.fail("RTD_TIMEZONE", value, "want an IANA time zone name such as Europe/Berlin or America/New_York, or UTC")
		return time.UTC
	}
	return loc
}

func (p *parser) logFile(value string) string {
	path := strings.TrimSpace(value)
	if path == "" {
		return ""
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		p.fail("RTD_LOG_FILE", value, "the folder %s does not exist: create it or choose another file", dir)
		return ""
	}
	return path
}

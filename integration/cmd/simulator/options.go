package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

// options are the flags beyond the basic ones of run: reporting, history,
// surveys, rate limits, faults, recording and replay.
type options struct {
	namespace     *string
	plainXML      *bool
	omitSiteInExt *bool
	emptyReports  *string
	noDataText    *string
	publicSites   *string
	surveyRate    *float64
	repSurveyRate *float64
	historyMax    *int
	historyKeep   *time.Duration
	perSecond     *int
	perHour       *int
	enforceLimit  *bool
	badPageStatus *int
	faults        *string
	faultInterval *time.Duration
	stall         *time.Duration
	recordFile    *string
	replayFile    *string
	replayConn    *int
	replaySpeed   *float64
}

// defineOptions defines the options on fs.
func defineOptions(fs *flag.FlagSet) *options {
	return &options{
		namespace:     fs.String("reporting-namespace", "beyondtrust", "XML namespace of Reporting API documents: beyondtrust, documented (https form), bomgar, pra, or a namespace URI"),
		plainXML:      fs.Bool("plain-xml", false, "write reports with regular indentation instead of the appliance's template whitespace"),
		omitSiteInExt: fs.Bool("omit-survey-site", false, "leave <public_site> out of <exit_survey> elements"),
		emptyReports:  fs.String("empty-reports", "list", "reply to a report without data: list (empty list element), error (<error> document) or error-child (list with an <error> child)"),
		noDataText:    fs.String("no-data-text", "english", "text of the no-data error: english, french, or any other text"),
		publicSites:   fs.String("public-sites", "1=Default", "public sites as comma-separated id=name pairs; the first is the default site"),
		surveyRate:    fs.Float64("survey-rate", 0.3, "probability that a customer answers the exit survey (0 to 1)"),
		repSurveyRate: fs.Float64("rep-survey-rate", 0.1, "probability that the rep answers the rep exit survey (0 to 1)"),
		historyMax:    fs.Int("history-max", 10000, "number of closed sessions kept for reports (at least 1)"),
		historyKeep:   fs.Duration("history-retention", 7*24*time.Hour, "appliance time closed sessions are kept for reports (above 0)"),
		perSecond:     fs.Int("rate-limit-per-second", 20, "API requests per second per account (at least 1)"),
		perHour:       fs.Int("rate-limit-per-hour", 15000, "API requests per hour per account (at least 1)"),
		enforceLimit:  fs.Bool("enforce-rate-limit", false, "reject API requests over the rate limits with HTTP 429"),
		badPageStatus: fs.Int("config-bad-page-status", 401, "HTTP status of Configuration API requests with an invalid per_page or current_page (400 to 599)"),
		faults:        fs.String("faults", "", "fault kinds injected in turn every -fault-interval: all, or a comma-separated list of "+faultNames()),
		faultInterval: fs.Duration("fault-interval", time.Minute, "host time between scheduled faults (above 0)"),
		stall:         fs.Duration("stall", 30*time.Second, "how long a stall fault stops writes to the sockets (above 0)"),
		recordFile:    fs.String("record", "", "file to write every /nw frame to, as JSON lines"),
		replayFile:    fs.String("replay", "", "recorded trace to serve to every /nw client after the handshake, in place of the live model"),
		replayConn:    fs.Int("replay-conn", 0, "socket number of the trace to replay; 0 means the lowest in the trace"),
		replaySpeed:   fs.Float64("replay-speed", 1, "replay speed relative to the recorded timing, above 0 (2 plays twice as fast)"),
	}
}

// validate checks the values of the options without opening any file.
func (o *options) validate() error {
	if err := checkRange("-survey-rate", *o.surveyRate, 0, 1); err != nil {
		return err
	}
	if err := checkRange("-rep-survey-rate", *o.repSurveyRate, 0, 1); err != nil {
		return err
	}
	if *o.historyMax < 1 {
		return fmt.Errorf("invalid -history-max %d: want at least 1", *o.historyMax)
	}
	if *o.historyKeep <= 0 {
		return fmt.Errorf("invalid -history-retention %v: want a duration above 0", *o.historyKeep)
	}
	if *o.perSecond < 1 {
		return fmt.Errorf("invalid -rate-limit-per-second %d: want at least 1", *o.perSecond)
	}
	if *o.perHour < 1 {
		return fmt.Errorf("invalid -rate-limit-per-hour %d: want at least 1", *o.perHour)
	}
	if status := *o.badPageStatus; status < 400 || status > 599 {
		return fmt.Errorf("invalid -config-bad-page-status %d: want an HTTP error status from 400 to 599", status)
	}
	if *o.faultInterval <= 0 {
		return fmt.Errorf("invalid -fault-interval %v: want a duration above 0", *o.faultInterval)
	}
	if *o.stall <= 0 {
		return fmt.Errorf("invalid -stall %v: want a duration above 0", *o.stall)
	}
	if *o.replayConn < 0 {
		return fmt.Errorf("invalid -replay-conn %d: want 0 or a socket number above 0", *o.replayConn)
	}
	return checkPositiveFloat("-replay-speed", *o.replaySpeed)
}

func faultNames() string {
	var names []string
	for _, kind := range sim.AllFaults {
		names = append(names, string(kind))
	}
	return strings.Join(names, ", ")
}

// apply sets the configuration from the options. It returns a function
// that closes the record file.
func (o *options) apply(cfg *sim.Config) (closeRecord func() error, err error) {
	closeRecord = func() error { return nil }
	namespaces := map[string]string{
		"beyondtrust": sim.ReportingNamespaceBeyondTrust,
		"documented":  sim.ReportingNamespaceDocumented,
		"bomgar":      sim.ReportingNamespaceBomgar,
		"pra":         sim.ReportingNamespacePRA,
	}
	cfg.Reporting.Namespace = *o.namespace
	if uri, ok := namespaces[*o.namespace]; ok {
		cfg.Reporting.Namespace = uri
	}
	cfg.Reporting.PlainXML = *o.plainXML
	cfg.Reporting.OmitSurveyPublicSite = *o.omitSiteInExt
	styles := map[string]sim.EmptyResultStyle{"list": sim.EmptyList, "error": sim.EmptyError, "error-child": sim.EmptyErrorChild}
	style, ok := styles[*o.emptyReports]
	if !ok {
		return closeRecord, fmt.Errorf("invalid -empty-reports %q: use list, error or error-child", *o.emptyReports)
	}
	cfg.Reporting.EmptyResult = style
	switch *o.noDataText {
	case "english":
		cfg.Reporting.NoDataText = sim.NoDataTextEnglish
	case "french":
		cfg.Reporting.NoDataText = sim.NoDataTextFrench
	default:
		cfg.Reporting.NoDataText = *o.noDataText
	}

	if cfg.PublicSites, err = parseSites(*o.publicSites); err != nil {
		return closeRecord, err
	}
	cfg.Surveys = sim.SurveyConfig{CustomerRate: rate(*o.surveyRate), RepRate: rate(*o.repSurveyRate)}
	cfg.History = sim.HistoryConfig{MaxSessions: *o.historyMax, Retention: *o.historyKeep}
	cfg.RateLimit = sim.RateLimitConfig{PerSecond: *o.perSecond, PerHour: *o.perHour, Enforce: *o.enforceLimit}
	cfg.ConfigAPI.BadPageStatus = *o.badPageStatus

	if *o.faults != "" {
		kinds, err := sim.ParseFaultKinds(*o.faults)
		if err != nil {
			return closeRecord, fmt.Errorf("invalid -faults: %w", err)
		}
		cfg.Faults = sim.FaultConfig{Interval: *o.faultInterval, Kinds: kinds, StallDuration: *o.stall}
	}
	if *o.replayFile != "" {
		file, err := os.Open(*o.replayFile)
		if err != nil {
			return closeRecord, fmt.Errorf("open replay trace: %w", err)
		}
		frames, err := sim.ReadTrace(file)
		file.Close()
		if err != nil {
			return closeRecord, err
		}
		cfg.Replay = &sim.ReplayConfig{Frames: frames, Conn: *o.replayConn, Speed: *o.replaySpeed}
	}
	if *o.recordFile != "" {
		file, err := os.Create(*o.recordFile)
		if err != nil {
			return closeRecord, fmt.Errorf("create record file: %w", err)
		}
		cfg.Record = file
		closeRecord = file.Close
	}
	return closeRecord, nil
}

// rate converts a probability flag (0 to 1) to a SurveyConfig rate.
// SurveyConfig reads 0 as its default, so a flag of 0 becomes -1, which
// disables surveys.
func rate(probability float64) float64 {
	if probability == 0 {
		return -1
	}
	return probability
}

// parseSites parses "1=Default,7=Partners".
func parseSites(list string) ([]sim.PublicSite, error) {
	var sites []sim.PublicSite
	for _, pair := range strings.Split(list, ",") {
		idText, name, ok := strings.Cut(strings.TrimSpace(pair), "=")
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok || err != nil || id <= 0 || name == "" {
			return nil, fmt.Errorf("invalid -public-sites entry %q: want id=name with an id above 0", pair)
		}
		sites = append(sites, sim.PublicSite{ID: id, Name: name})
	}
	return sites, nil
}

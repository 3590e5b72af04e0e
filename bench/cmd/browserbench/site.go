package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
)

// site is a simulated large appliance with a real relay following it, both
// on loopback ports.
type site struct {
	sim      *sim.Simulator
	relayURL string // http://127.0.0.1:PORT
	stop     func()

	reps       []sim.Rep
	waiting    []int64 // session ids, oldest first
	inProgress []int64 // session ids, oldest first
	nextRep    int
	idle       bool
}

// startSite starts the simulator with the large scenario and a relay
// serving the web files in web, and waits until the relay has the
// snapshot. The
// scenario does not run: only bursts change the site, so each burst is one
// model_update of known content.
func startSite(ctx context.Context, workDir string, web fs.FS, log *slog.Logger) (*site, error) {
	const clientID, secret = "browserbench", "browserbench-secret-0123456789"
	appliance, err := sim.New(sim.Config{
		ClientID:     clientID,
		ClientSecret: secret,
		Seed:         1,
		Scenario:     sim.LargeSite(),
		// Only the explicit Flush after a burst sends a batch.
		BatchDelay: time.Hour,
		Logger:     log.With("component", "simulator"),
	})
	if err != nil {
		return nil, fmt.Errorf("creating the simulator: %w", err)
	}
	if err := appliance.Start("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("starting the simulator: %w", err)
	}
	caFile := filepath.Join(workDir, "simulator-ca.pem")
	if err := os.WriteFile(caFile, appliance.CAPEM(), 0o600); err != nil {
		appliance.Close()
		return nil, err
	}
	cfg, err := config.Load(map[string]string{
		"RTD_APPLIANCE_HOST": appliance.Addr(),
		"RTD_CLIENT_ID":      clientID,
		"RTD_CLIENT_SECRET":  secret,
		"RTD_CA_FILE":        caFile,
		"RTD_LISTEN_ADDR":    "127.0.0.1:0",
	})
	if err != nil {
		appliance.Close()
		return nil, fmt.Errorf("loading the relay configuration: %w", err)
	}
	r, err := relay.New(cfg, relay.Options{Logger: log.With("component", "relay"), Web: web})
	if err != nil {
		appliance.Close()
		return nil, fmt.Errorf("creating the relay: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		appliance.Close()
		return nil, err
	}
	relayCtx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- r.Serve(relayCtx, ln) }()
	s := &site{
		sim:      appliance,
		relayURL: "http://" + ln.Addr().String(),
		stop: func() {
			cancel()
			if err := <-served; err != nil {
				log.Error("relay stopped with an error", "error", err)
			}
			appliance.Close()
		},
	}
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	if err := s.loadSessions(); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *site) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.relayURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("the relay was not ready within 60 s: check the simulator and relay logs")
}

// loadSessions reads the simulator's model to learn which sessions wait
// and which are in progress.
func (s *site) loadSessions() error {
	var tables map[string]map[string]map[string]any
	if err := json.Unmarshal(s.sim.ModelJSON(), &tables); err != nil {
		return fmt.Errorf("decoding the simulator's model: %w", err)
	}
	hasRep := make(map[int64]bool)
	for _, link := range tables["representative_support_session"] {
		if id, ok := link["support_session_id"].(float64); ok {
			hasRep[int64(id)] = true
		}
	}
	var ids []int64
	for key := range tables["support_session"] {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return fmt.Errorf("simulator session id %q: %w", key, err)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if hasRep[id] {
			s.inProgress = append(s.inProgress, id)
		} else {
			s.waiting = append(s.waiting, id)
		}
	}
	s.reps = s.sim.Reps()
	if len(s.reps) == 0 || len(s.waiting) == 0 || len(s.inProgress) == 0 {
		return fmt.Errorf("simulator site is not populated: %d reps, %d waiting, %d in progress",
			len(s.reps), len(s.waiting), len(s.inProgress))
	}
	return nil
}

// burstPlan is the number of changes of each kind in one burst.
type burstPlan struct {
	arrivals, pickups, ends, statusChanges int
}

// changes returns how the burst moves the panel totals.
func (p burstPlan) changes() (waiting, inProgress int) {
	return p.arrivals - p.pickups, p.pickups - p.ends
}

// run applies the burst to the simulator and flushes it as one
// model_update. It returns the time of the flush.
func (s *site) run(p burstPlan) (time.Time, error) {
	for range p.arrivals {
		id, _ := s.sim.AddCustomer(sim.Customer{Description: "Burst arrival"})
		if id == 0 {
			return time.Time{}, errors.New("simulator rejected a customer")
		}
		s.waiting = append(s.waiting, id)
	}
	for range p.pickups {
		id := s.waiting[0]
		s.waiting = s.waiting[1:]
		rep := s.reps[s.nextRep%len(s.reps)]
		s.nextRep++
		if err := s.sim.Pickup(id, rep.ID); err != nil {
			return time.Time{}, fmt.Errorf("pickup of session %d by rep %d: %w", id, rep.ID, err)
		}
		s.inProgress = append(s.inProgress, id)
	}
	for range p.ends {
		id := s.inProgress[0]
		s.inProgress = s.inProgress[1:]
		if err := s.sim.EndSession(id); err != nil {
			return time.Time{}, fmt.Errorf("ending session %d: %w", id, err)
		}
	}
	s.idle = !s.idle
	for i := range p.statusChanges {
		rep := s.reps[(s.nextRep+len(s.reps)/2+i)%len(s.reps)]
		if err := s.sim.SetRepStatus(rep.ID, sim.RepStatus{Idle: s.idle}); err != nil {
			return time.Time{}, fmt.Errorf("status of rep %d: %w", rep.ID, err)
		}
	}
	flushed := time.Now()
	s.sim.Flush()
	return flushed, nil
}

// relayCounters returns the relay's rtd_diffs_applied_total and
// rtd_row_changes_total from its /metrics.
func (s *site) relayCounters() (diffs, rows float64, err error) {
	resp, err := http.Get(s.relayURL + "/metrics")
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		line := lines.Text()
		name, _, _ := strings.Cut(line, "{")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		value, perr := strconv.ParseFloat(fields[len(fields)-1], 64)
		if perr != nil {
			continue
		}
		switch name {
		case "rtd_diffs_applied_total":
			diffs = value
		case "rtd_row_changes_total":
			rows = value
		}
	}
	return diffs, rows, lines.Err()
}

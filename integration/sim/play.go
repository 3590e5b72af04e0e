package sim

import (
	"maps"
	"math"
	"slices"
	"time"
)

// maxStep caps the appliance time one scenario step covers, so a clock
// jump does not flood the model with events.
const maxStep = time.Minute

// populate builds the starting site: teams, logged-in reps, waiting
// sessions and sessions in progress, with timestamps spread into the past
// so wait times and session ages vary from the first snapshot.
func (s *Simulator) populate() {
	site, sc := s.site, s.scenario
	site.maxSessions = sc.MaxSessionsPerRep
	if sc.MeanWait > 0 {
		site.estimatedWait = sc.MeanWait
	}
	for i := range sc.Teams {
		site.addTeam(teamName(i))
	}
	if len(site.teams) == 0 {
		return
	}
	now := site.unix()
	for range sc.Reps {
		r, _ := site.loginRep(s.randomRep())
		s.backdate(TableRepresentative, r.id, now-site.rng.Int64N(4*3600))
	}
	meanWait := max(int64(sc.MeanWait.Seconds()), 60)
	meanLength := max(int64(sc.MeanSessionLength.Seconds()), 300)
	for range sc.InitialWaiting {
		entry, _ := site.addCustomer(site.randomCustomer(sc.StartMethods))
		created := now - site.rng.Int64N(2*meanWait)
		s.backdateSession(entry, created, created)
	}
	for range sc.InitialInProgress {
		entry, _ := site.addCustomer(site.randomCustomer(sc.StartMethods))
		r := s.freeRep(entry.teamCode, true)
		if r == nil {
			continue
		}
		_ = site.pickup(entry.id, r.id)
		picked := now - site.rng.Int64N(meanLength)
		s.backdateSession(entry, picked-site.rng.Int64N(meanWait), picked)
		s.backdate(TableRepresentativeSupportSession, entry.reps[r.id], picked)
	}
}

func (s *Simulator) backdate(table string, id, created int64) {
	s.model.update(table, id, row{"created_timestamp": created})
}

func (s *Simulator) backdateSession(entry *sessionEntry, created, queued int64) {
	s.model.update(TableSupportSession, entry.id, row{
		"created_timestamp":          created,
		"queue_entry_timestamp":      queued,
		"estimated_pickup_timestamp": created + int64(s.site.estimatedWait.Seconds()),
	})
	for _, id := range entry.clients {
		s.backdate(TableCustomerClient, id, created)
	}
	for _, id := range entry.attributes {
		s.backdate(TableSupportSessionAttribute, id, created)
	}
	for _, id := range entry.skills {
		s.backdate(TableSupportSessionSkill, id, created)
	}
}

// randomRep returns a rep in TeamsPerRep distinct random teams.
func (s *Simulator) randomRep() Rep {
	site := s.site
	count := min(s.scenario.TeamsPerRep, len(site.teams))
	var codes []string
	for _, i := range site.rng.Perm(len(site.teams))[:count] {
		codes = append(codes, site.teams[i].codeName)
	}
	name := site.personName()
	private := name + " (" + site.teamsByCode[codes[0]].name + ")"
	return Rep{PublicName: name, PrivateName: private, TeamCodeNames: codes}
}

// freeRep returns a random rep of the team that can take another session,
// or nil. With needAvailable only reps with routing_available are chosen.
func (s *Simulator) freeRep(teamCode string, needAvailable bool) *repEntry {
	var candidates []*repEntry
	for _, id := range s.site.teamReps[teamCode] {
		r := s.site.reps[id]
		if len(r.sessions) >= s.site.maxSessions {
			continue
		}
		if needAvailable && (r.status.Away || r.status.Busy) {
			continue
		}
		candidates = append(candidates, r)
	}
	if len(candidates) == 0 {
		return nil
	}
	return candidates[s.site.rng.IntN(len(candidates))]
}

// stepLocked plays the events of elapsed appliance time. The caller holds
// s.mu.
func (s *Simulator) stepLocked(now time.Time, elapsed time.Duration) {
	site, sc := s.site, s.scenario
	if elapsed <= 0 || len(site.teams) == 0 {
		return
	}
	elapsed = min(elapsed, maxStep)
	minutes := elapsed.Minutes()

	arrivals := s.poisson(sc.ArrivalsPerMinute * minutes)
	if sc.BurstInterval > 0 && sc.BurstArrivals > 0 {
		if s.nextBurst.IsZero() {
			s.nextBurst = now.Add(sc.BurstInterval)
		} else if !now.Before(s.nextBurst) {
			arrivals += sc.BurstArrivals
			s.nextBurst = now.Add(sc.BurstInterval)
		}
	}
	for range arrivals {
		_, _ = site.addCustomer(site.randomCustomer(sc.StartMethods))
	}

	pickupChance := chance(elapsed, sc.MeanWait)
	endChance := chance(elapsed, sc.MeanSessionLength)
	for _, id := range slices.Sorted(maps.Keys(site.sessions)) {
		entry := site.sessions[id]
		switch {
		case entry.waiting() && site.rng.Float64() < pickupChance:
			if r := s.freeRep(entry.teamCode, true); r != nil {
				_ = site.pickup(id, r.id)
			}
		case !entry.waiting() && site.rng.Float64() < endChance:
			_ = site.endSession(id)
		}
	}

	for range s.poisson(sc.RepChangesPerMinute * minutes) {
		s.changeReps()
	}
	for range s.poisson(sc.StatusChangesPerMinute * minutes) {
		s.changeStatus()
	}
	for range s.poisson(sc.TransfersPerMinute * minutes) {
		s.transfer()
	}
}

// chance returns the probability that an event with the given mean time
// happens within elapsed, or 0 when mean is 0.
func chance(elapsed, mean time.Duration) float64 {
	if mean <= 0 {
		return 0
	}
	return 1 - math.Exp(-elapsed.Seconds()/mean.Seconds())
}

// poisson draws an event count with mean lambda: Knuth's method for small
// means and a rounded normal approximation above 30.
func (s *Simulator) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	rng := s.site.rng
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	limit, product, count := math.Exp(-lambda), rng.Float64(), 0
	for product > limit {
		product *= rng.Float64()
		count++
	}
	return count
}

// changeReps logs a rep in or out, steering the count towards
// ScenarioConfig.Reps.
func (s *Simulator) changeReps() {
	site := s.site
	target := s.scenario.Reps
	login := len(site.reps) < target || (len(site.reps) == target && site.rng.IntN(2) == 0)
	if login || len(site.reps) == 0 {
		site.loginRep(s.randomRep())
		return
	}
	ids := slices.Sorted(maps.Keys(site.reps))
	_ = site.logoutRep(ids[site.rng.IntN(len(ids))])
}

// changeStatus flips one routing flag of a random rep. A flag that is set
// is cleared more often than a clear one is set, so most reps stay
// available.
func (s *Simulator) changeStatus() {
	site := s.site
	if len(site.reps) == 0 {
		return
	}
	ids := slices.Sorted(maps.Keys(site.reps))
	r := site.reps[ids[site.rng.IntN(len(ids))]]
	status := r.status
	if status != (RepStatus{}) && site.rng.IntN(10) < 6 {
		status = RepStatus{}
	} else {
		switch site.rng.IntN(4) {
		case 0:
			status.Idle = !status.Idle
		case 1:
			status.Away = !status.Away
		case 2:
			status.Busy = !status.Busy
		default:
			status.AutoAssignDisabled = !status.AutoAssignDisabled
		}
	}
	_ = site.setRepStatus(r.id, status)
}

// transfer hands a random session in progress to another team, where it
// waits again, or to another free rep of its team.
func (s *Simulator) transfer() {
	site := s.site
	var inProgress []int64
	for _, id := range slices.Sorted(maps.Keys(site.sessions)) {
		if !site.sessions[id].waiting() {
			inProgress = append(inProgress, id)
		}
	}
	if len(inProgress) == 0 {
		return
	}
	entry := site.sessions[inProgress[site.rng.IntN(len(inProgress))]]
	if site.rng.IntN(2) == 0 {
		team := site.teams[site.rng.IntN(len(site.teams))]
		_ = site.transferToTeam(entry.id, team.codeName)
		return
	}
	if r := s.freeRep(entry.teamCode, true); r != nil {
		if _, already := entry.reps[r.id]; !already {
			_ = site.transferToRep(entry.id, r.id)
		}
	}
}

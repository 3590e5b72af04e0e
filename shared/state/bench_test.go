package state_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rtdash/rtdash/shared/state"
)

// Sizes of a large site: 2,000 logged-in representatives, 150 team queues,
// 1,000 waiting support sessions and 3,000 sessions in progress.
const (
	siteReps       = 2000
	siteTeamQueues = 150
	siteWaiting    = 1000
	siteInProgress = 3000

	// personalQueueBase is added to a representative id to give the id of
	// its personal queue.
	personalQueueBase = 1000
	// burstIDBase starts the ids of rows that benchmark bursts create, above
	// every id of the large site.
	burstIDBase = 1_000_000
)

// largeSiteLine returns one model_update that inserts a large site: team and
// personal queues, representatives in two teams each, waiting sessions,
// sessions in progress with their representative links, and one customer
// client per session.
func largeSiteLine() string {
	var b strings.Builder
	b.WriteString(`{"type":"model_update","insert":{"queue":{`)
	for q := 1; q <= siteTeamQueues; q++ {
		comma(&b, q > 1)
		fmt.Fprintf(&b, `"%d":{"name":"Team %d","code_name":"team_%d","type":"team","support_team_id":%d,"created_timestamp":1733230000}`, q, q, q, q)
	}
	for r := 1; r <= siteReps; r++ {
		fmt.Fprintf(&b, `,"%d":{"name":"Rep %d","code_name":"","type":"personal","support_team_id":0,"created_timestamp":1733235000}`, personalQueueBase+r, r)
	}

	b.WriteString(`},"representative":{`)
	for r := 1; r <= siteReps; r++ {
		comma(&b, r > 1)
		fmt.Fprintf(&b, `"%d":{"user_id":%d,"username":"rep%d","public_display_name":"Rep %d","private_display_name":"Rep %d (T%d)",`+
			`"routing_available":%d,"routing_busy":%d,"routing_idle":0,"routing_enabled":1,"skill_code_names":"","queue_id":%d,`+
			`"hostname":"REP-%d","operating_system":"Windows 11","private_ip":"10.0.%d.%d","public_ip":"4.231.237.19:%d","created_timestamp":1733235000}`,
			r, 5000+r, r, r, r, r%3, r%2, (r+1)%2, personalQueueBase+r, r, r/256, r%256, 50000+r)
	}

	b.WriteString(`},"representative_queue":{`)
	for r := 1; r <= siteReps; r++ {
		comma(&b, r > 1)
		fmt.Fprintf(&b, `"%d":{"representative_id":%d,"queue_id":%d,"created_timestamp":1733235000},`, 2*r-1, r, 1+r%siteTeamQueues)
		fmt.Fprintf(&b, `"%d":{"representative_id":%d,"queue_id":%d,"created_timestamp":1733235000}`, 2*r, r, 1+(r+7)%siteTeamQueues)
	}

	b.WriteString(`},"support_session":{`)
	for s := 1; s <= siteWaiting+siteInProgress; s++ {
		comma(&b, s > 1)
		queue := 1 + s%siteTeamQueues
		if s > siteWaiting {
			queue = personalQueueBase + 1 + s%siteReps
		}
		writeSession(&b, s, queue)
	}

	b.WriteString(`},"representative_support_session":{`)
	for s := siteWaiting + 1; s <= siteWaiting+siteInProgress; s++ {
		comma(&b, s > siteWaiting+1)
		fmt.Fprintf(&b, `"%d":{"support_session_id":%d,"representative_id":%d,"created_timestamp":1733239400}`, s, s, 1+s%siteReps)
	}

	b.WriteString(`},"customer_client":{`)
	for s := 1; s <= siteWaiting+siteInProgress; s++ {
		comma(&b, s > 1)
		writeClient(&b, s, s)
	}
	b.WriteString(`}}}`)
	return b.String()
}

func writeSession(b *strings.Builder, id, queue int) {
	fmt.Fprintf(b, `"%d":{"lsid":"%032x","queue_id":%d,"queue_entry_timestamp":%d,"customer_name":"Customer %d",`+
		`"customer_company":"Company %d","customer_company_code":"","customer_description":"VPN down on laptop %d",`+
		`"start_method":"issue_submission","priority":2,"estimated_pickup_timestamp":%d,"created_timestamp":%d}`,
		id, id, queue, 1733239000+id, id, id%97, id, 1733239300+id, 1733239000+id)
}

func writeClient(b *strings.Builder, id, session int) {
	fmt.Fprintf(b, `"%d":{"support_session_id":%d,"client_type":"desktop","elevated":0,"hostname":"PC-%d",`+
		`"operating_system":"Windows 11","private_ip":"192.168.1.%d","public_ip":"4.231.237.20:%d","created_timestamp":%d}`,
		id, session, id, id%256, 40000+id%20000, 1733239000+id)
}

func comma(b *strings.Builder, needed bool) {
	if needed {
		b.WriteByte(',')
	}
}

// burstLines returns n model_update lines as the appliance sends them while
// customers arrive, are picked up and leave. From the third line on, each
// line makes 20 row changes:
//
//   - 2 new sessions with their clients (4 inserts),
//   - the 2 sessions of the previous line picked up (2 session updates,
//     2 links, 2 representative updates),
//   - the 2 sessions of the line before that closed (6 deletes),
//   - 4 more representative status changes.
func burstLines(n int) []string {
	lines := make([]string, 0, n)
	for k := range n {
		var b strings.Builder
		b.WriteString(`{"type":"model_update","insert":{"support_session":{`)
		for j := range 2 {
			comma(&b, j > 0)
			writeSession(&b, burstIDBase+2*k+j, 1+k%siteTeamQueues)
		}
		b.WriteString(`},"customer_client":{`)
		for j := range 2 {
			comma(&b, j > 0)
			writeClient(&b, burstIDBase+2*k+j, burstIDBase+2*k+j)
		}
		b.WriteString(`}`)
		if k >= 1 {
			b.WriteString(`,"representative_support_session":{`)
			for j := range 2 {
				comma(&b, j > 0)
				id := burstIDBase + 2*(k-1) + j
				fmt.Fprintf(&b, `"%d":{"support_session_id":%d,"representative_id":%d,"created_timestamp":%d}`, id, id, pickupRep(id), 1733240000+k)
			}
			b.WriteString(`}`)
		}
		b.WriteString(`},"update":{"representative":{`)
		for j := range 4 {
			comma(&b, j > 0)
			fmt.Fprintf(&b, `"%d":{"routing_idle":%d}`, siteReps/2+1+(7*k+j)%(siteReps/2), (k+j)%2)
		}
		if k >= 1 {
			for j := range 2 {
				id := burstIDBase + 2*(k-1) + j
				fmt.Fprintf(&b, `,"%d":{"routing_busy":1}`, pickupRep(id))
			}
			b.WriteString(`},"support_session":{`)
			for j := range 2 {
				comma(&b, j > 0)
				id := burstIDBase + 2*(k-1) + j
				fmt.Fprintf(&b, `"%d":{"queue_id":%d,"queue_entry_timestamp":%d}`, id, personalQueueBase+pickupRep(id), 1733240000+k)
			}
		}
		b.WriteString(`}}`)
		if k >= 2 {
			ids := fmt.Sprintf(`"%d","%d"`, burstIDBase+2*(k-2), burstIDBase+2*(k-2)+1)
			fmt.Fprintf(&b, `,"delete":{"customer_client":[%s],"representative_support_session":[%s],"support_session":[%s]}`, ids, ids, ids)
		}
		b.WriteString(`}`)
		lines = append(lines, b.String())
	}
	return lines
}

// pickupRep returns the representative that picks up a burst session. It is
// one of the first half of the representatives, so that it never collides
// with the status changes of the same line, which use the second half.
func pickupRep(session int) int { return 1 + session%(siteReps/2) }

// burstCycle is how many burst lines run before the model is reset, because
// ids are never reused within a model's lifetime.
const burstCycle = 4096

func loadLargeSite(b *testing.B) (*state.Model, []byte) {
	b.Helper()
	m := modelOf(b, largeSiteLine())
	return m, m.AppendJSON(nil)
}

func resetToSnapshot(b *testing.B, m *state.Model, snapshot []byte) {
	b.Helper()
	if _, err := m.Load(snapshot); err != nil {
		b.Fatalf("Load() of the large site failed: %v", err)
	}
}

// BenchmarkApply measures decoding and applying appliance lines on a large
// site, as the relay and the browser do for every diff.
func BenchmarkApply(b *testing.B) {
	m, snapshot := loadLargeSite(b)
	lines := burstLines(burstCycle)
	data := make([][]byte, len(lines))
	for i, line := range lines {
		data[i] = []byte(line)
	}
	rows := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%burstCycle == 0 {
			b.StopTimer()
			resetToSnapshot(b, m, snapshot)
			b.StartTimer()
		}
		msg, err := state.Decode(data[i%burstCycle])
		if err != nil {
			b.Fatalf("Decode() failed: %v", err)
		}
		res := m.Apply(msg)
		rows += res.Changes()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/msg")
}

// BenchmarkApplyDecoded measures Apply alone on messages decoded beforehand.
func BenchmarkApplyDecoded(b *testing.B) {
	m, snapshot := loadLargeSite(b)
	lines := burstLines(burstCycle)
	msgs := make([]*state.Message, len(lines))
	for i, line := range lines {
		msg, err := state.Decode([]byte(line))
		if err != nil {
			b.Fatalf("Decode() failed: %v", err)
		}
		msgs[i] = msg
	}
	rows := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%burstCycle == 0 {
			b.StopTimer()
			resetToSnapshot(b, m, snapshot)
			b.StartTimer()
		}
		res := m.Apply(msgs[i%burstCycle])
		rows += res.Changes()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/msg")
}

// BenchmarkAppendJSON measures encoding the snapshot a joining browser gets
// from the relay on a large site.
func BenchmarkAppendJSON(b *testing.B) {
	m, snapshot := loadLargeSite(b)
	b.SetBytes(int64(len(snapshot)))
	b.ReportAllocs()
	buf := make([]byte, 0, len(snapshot))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = m.AppendJSON(buf[:0])
	}
	if len(buf) != len(snapshot) {
		b.Fatalf("AppendJSON() wrote %d bytes, want %d", len(buf), len(snapshot))
	}
}

func TestBenchmarkInputsApplyCleanly(t *testing.T) {
	m := state.NewModel()
	res := apply(t, m, largeSiteLine())
	if len(res.Anomalies) != 0 {
		t.Fatalf("large site anomalies = %v, want none", res.Anomalies)
	}
	wantRows := siteTeamQueues + siteReps + // team and personal queues
		siteReps + 2*siteReps + // representatives and their two team links
		2*(siteWaiting+siteInProgress) + siteInProgress // sessions, clients, session links
	if got := m.Rows(); got != wantRows {
		t.Errorf("large site Rows() = %d, want %d", got, wantRows)
	}

	total := 0
	for i, line := range burstLines(64) {
		res := apply(t, m, line)
		if len(res.Anomalies) != 0 {
			t.Fatalf("burst line %d anomalies = %v, want none", i, res.Anomalies)
		}
		if i >= 2 && res.Changes() != 20 {
			t.Errorf("burst line %d Changes() = %d, want 20", i, res.Changes())
		}
		total += res.Changes()
	}
	if total == 0 {
		t.Errorf("burst lines changed no rows")
	}
}

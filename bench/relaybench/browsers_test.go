package relaybench_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// relayProcess is the relay under test, running as a child process.
type relayProcess struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	addr string
}

// startRelay starts the test binary again as the relay under test and
// waits until it listens. The process stops when the benchmark ends.
func startRelay(b *testing.B) *relayProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), relayChildEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("starting the relay process: %v", err)
	}
	p := &relayProcess{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	b.Cleanup(func() {
		p.in.Close()
		stopped := make(chan error, 1)
		go func() { stopped <- cmd.Wait() }()
		select {
		case err := <-stopped:
			if err != nil {
				b.Errorf("relay process exited with an error: %v", err)
			}
		case <-time.After(20 * time.Second):
			b.Errorf("relay process did not stop within 20 s after its input closed; killing it")
			_ = cmd.Process.Kill()
			<-stopped
		}
	})
	p.addr = p.reply(b, "ready")
	return p
}

// reply reads the next line from the relay process and returns what
// follows the wanted keyword.
func (p *relayProcess) reply(b *testing.B, keyword string) string {
	b.Helper()
	line, err := p.out.ReadString('\n')
	if err != nil {
		b.Fatalf("reading the relay process's %q reply: %v", keyword, err)
	}
	word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	if word != keyword {
		b.Fatalf("relay process replied %q, want %q", abbreviate(line), keyword)
	}
	return rest
}

// command sends one command line and returns the reply after keyword.
func (p *relayProcess) command(b *testing.B, command, keyword string) string {
	b.Helper()
	if _, err := io.WriteString(p.in, command+"\n"); err != nil {
		b.Fatalf("sending %q to the relay process: %v", command, err)
	}
	return p.reply(b, keyword)
}

func (p *relayProcess) memory(b *testing.B) memoryReport {
	b.Helper()
	var report memoryReport
	if err := json.Unmarshal([]byte(p.command(b, "memory", "memory")), &report); err != nil {
		b.Fatalf("decoding the relay's memory report: %v", err)
	}
	if report.Error != "" {
		b.Fatalf("relay memory report failed: %s", report.Error)
	}
	return report
}

// sentDiffs is the reply to a run command: the sequence number of the
// first diff and each diff's receive time in the relay, Unix ns.
type sentDiffs struct {
	first uint64
	times []int64
}

func (p *relayProcess) run(b *testing.B, seconds, units, rate int) sentDiffs {
	b.Helper()
	reply := p.command(b, fmt.Sprintf("run %d %d %d", seconds, units, rate), "sent")
	firstText, timesText, _ := strings.Cut(reply, " ")
	first, err := strconv.ParseUint(firstText, 10, 64)
	if err != nil {
		b.Fatalf("invalid first sequence number in %q", abbreviate(reply))
	}
	var sent sentDiffs
	sent.first = first
	for _, field := range strings.Split(timesText, ",") {
		t, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			b.Fatalf("invalid time %q in the relay's reply", field)
		}
		sent.times = append(sent.times, t)
	}
	return sent
}

// receipt is one diff a browser received: its sequence number and the time
// the whole message was read, Unix ns.
type receipt struct {
	seq uint64
	at  int64
}

// browser is a websocket client that reads the relay's messages as the
// page would, keeps the receipt of every diff, and discards the content.
type browser struct {
	conn     *websocket.Conn
	snapshot chan struct{} // closed when the snapshot arrived

	mu       sync.Mutex
	receipts []receipt
	err      error // why read returned
}

func (br *browser) fail(err error) {
	br.mu.Lock()
	br.err = err
	br.mu.Unlock()
}

// lastSeq returns the sequence number of the last diff received, and
// whether reading ended.
func (br *browser) lastSeq() (uint64, bool) {
	br.mu.Lock()
	defer br.mu.Unlock()
	if len(br.receipts) == 0 {
		return 0, br.err != nil
	}
	return br.receipts[len(br.receipts)-1].seq, br.err != nil
}

// dialBrowsers connects n browsers in waves, each wave waiting for its
// snapshots, so that joins do not time out on a machine with few cores.
// Reading ends when ctx is done; wait for done before using receipts.
func dialBrowsers(ctx context.Context, b *testing.B, addr string, n int) (browsers []*browser, done *sync.WaitGroup) {
	b.Helper()
	const wave = 50
	done = &sync.WaitGroup{}
	url := "ws://" + addr + "/api/v1/ws"
	for start := 0; start < n; start += wave {
		end := min(start+wave, n)
		for i := start; i < end; i++ {
			dialCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			conn, _, err := websocket.Dial(dialCtx, url, nil)
			cancel()
			if err != nil {
				b.Fatalf("browser %d: dialling %s: %v", i+1, url, err)
			}
			conn.SetReadLimit(-1)
			br := &browser{conn: conn, snapshot: make(chan struct{})}
			browsers = append(browsers, br)
			done.Add(1)
			go func() {
				defer done.Done()
				br.read(ctx)
			}()
		}
		for _, br := range browsers[start:end] {
			select {
			case <-br.snapshot:
			case <-time.After(60 * time.Second):
				b.Fatalf("a browser received no snapshot within 60 s (%d browsers connected)", len(browsers))
			}
		}
	}
	return browsers, done
}

// read records the receipt of each diff until the connection ends.
func (br *browser) read(ctx context.Context) {
	defer br.conn.CloseNow()
	prefix := make([]byte, 64)
	gotSnapshot := false
	for {
		_, r, err := br.conn.Reader(ctx)
		if err != nil {
			br.fail(err)
			return
		}
		n, err := io.ReadFull(r, prefix)
		if err != nil && err != io.ErrUnexpectedEOF {
			br.fail(err)
			return
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			br.fail(err)
			return
		}
		at := time.Now().UnixNano()
		kind, seq := envelopeHead(prefix[:n])
		switch kind {
		case "diff":
			br.mu.Lock()
			br.receipts = append(br.receipts, receipt{seq: seq, at: at})
			br.mu.Unlock()
		case "snapshot":
			if !gotSnapshot {
				gotSnapshot = true
				close(br.snapshot)
			}
		}
	}
}

// envelopeHead returns the type and sequence number at the start of a
// relay envelope, which the hub writes as {"type":"…","seq":N,…}.
func envelopeHead(prefix []byte) (kind string, seq uint64) {
	const typeKey = `{"type":"`
	if !bytes.HasPrefix(prefix, []byte(typeKey)) {
		return "", 0
	}
	rest := prefix[len(typeKey):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return "", 0
	}
	kind, rest = string(rest[:end]), rest[end+1:]
	const seqKey = `,"seq":`
	if !bytes.HasPrefix(rest, []byte(seqKey)) {
		return kind, 0
	}
	rest = rest[len(seqKey):]
	digits := 0
	for digits < len(rest) && '0' <= rest[digits] && rest[digits] <= '9' {
		digits++
	}
	seq, _ = strconv.ParseUint(string(rest[:digits]), 10, 64)
	return kind, seq
}

// waitForDiff waits until every browser received the diff with sequence
// number last, or the timeout passes.
func waitForDiff(browsers []*browser, last uint64, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if allReceived(browsers, last) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func allReceived(browsers []*browser, last uint64) bool {
	for _, br := range browsers {
		select {
		case <-br.snapshot:
		default:
			return false
		}
		if seq, ended := br.lastSeq(); !ended && seq < last {
			return false
		}
	}
	return true
}

// latencies pairs each receipt with the diff's receive time in the relay.
// Call it after the browsers' readers returned.
// It returns every browser's latency and, per diff, the latency of the last
// browser to get it, in milliseconds, and the number of diffs browsers
// missed.
func latencies(browsers []*browser, sent sentDiffs) (all, slowest []float64, missed int) {
	slowestNs := make([]int64, len(sent.times))
	for _, br := range browsers {
		seen := 0
		for _, r := range br.receipts {
			if r.seq < sent.first || r.seq >= sent.first+uint64(len(sent.times)) {
				continue
			}
			i := r.seq - sent.first
			d := r.at - sent.times[i]
			all = append(all, float64(d)/1e6)
			slowestNs[i] = max(slowestNs[i], d)
			seen++
		}
		missed += len(sent.times) - seen
	}
	for _, d := range slowestNs {
		slowest = append(slowest, float64(d)/1e6)
	}
	slices.Sort(all)
	slices.Sort(slowest)
	return all, slowest, missed
}

// percentile returns the p-th percentile (0 to 100) of sorted values by
// the nearest-rank method, or 0 when there are none.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func abbreviate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

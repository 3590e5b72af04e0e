package feed

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// snapshotPrefix starts every snapshot envelope the relay writes: the
// relay's hub writes {"type":"snapshot","seq":N,"time":T,"snapshot":
// {"tables":{...},"team_queues":{...}}}, with team_queues optional.
var snapshotPrefix = []byte(`{"type":"snapshot","seq":`)

// loadSnapshotFast loads a snapshot envelope in the exact form the relay
// writes straight from data. It does not copy the tables first as
// encoding/json would, because a large site's snapshot is megabytes. It
// reports false for any other form, which Handle then decodes with
// encoding/json.
func (f *Feed) loadSnapshotFast(data []byte) (Change, bool) {
	rest, found := bytes.CutPrefix(data, snapshotPrefix)
	if !found {
		return 0, false
	}
	seq, sent, rest, ok := readSeqTime(rest)
	if !ok {
		return 0, false
	}
	rest, found = bytes.CutPrefix(rest, []byte(`,"snapshot":{"tables":`))
	if !found {
		return 0, false
	}
	f.synced = false
	rest, res, err := f.model.LoadFrom(rest)
	if err != nil {
		return 0, false
	}
	queues := map[string]int64{}
	rest = bytes.TrimRight(rest, " \t\r\n")
	if q, found := bytes.CutPrefix(rest, []byte(`,"team_queues":`)); found {
		body, found := bytes.CutSuffix(q, []byte("}}"))
		if !found || json.Unmarshal(body, &queues) != nil {
			return 0, false
		}
	} else if string(rest) != "}}" {
		return 0, false
	}
	f.addSample(sent - f.lastData.UnixMilli())
	f.finishSnapshot(seq, res.AnomalyCount, queues)
	return ChangedModel, true
}

// readSeqTime reads `N,"time":T` at the start of data, as the relay writes
// after "seq":, and returns what follows.
func readSeqTime(data []byte) (seq uint64, sent int64, rest []byte, ok bool) {
	i := bytes.IndexByte(data, ',')
	if i <= 0 {
		return 0, 0, nil, false
	}
	seq, err := strconv.ParseUint(string(data[:i]), 10, 64)
	if err != nil {
		return 0, 0, nil, false
	}
	rest, found := bytes.CutPrefix(data[i:], []byte(`,"time":`))
	if !found {
		return 0, 0, nil, false
	}
	i = bytes.IndexByte(rest, ',')
	if i <= 0 {
		return 0, 0, nil, false
	}
	sent, err = strconv.ParseInt(string(rest[:i]), 10, 64)
	if err != nil {
		return 0, 0, nil, false
	}
	return seq, sent, rest[i:], true
}

package feed

import "bytes"

// diffPrefix starts every diff envelope the relay writes; the relay's hub
// writes diffs as {"type":"diff","seq":N,"time":T,"diff":<message>}.
var diffPrefix = []byte(`{"type":"diff","seq":`)

// parseDiff reads a diff envelope in the exact form the relay writes
// without decoding the appliance's message twice: the message is returned
// as a slice of data, for state.Decode to check. It reports false for any
// other form, which Handle then decodes with encoding/json.
func parseDiff(data []byte) (seq uint64, sent int64, diff []byte, ok bool) {
	rest, found := bytes.CutPrefix(data, diffPrefix)
	if !found {
		return 0, 0, nil, false
	}
	seq, sent, rest, ok = readSeqTime(rest)
	if !ok {
		return 0, 0, nil, false
	}
	rest, found = bytes.CutPrefix(rest, []byte(`,"diff":`))
	if !found {
		return 0, 0, nil, false
	}
	rest = bytes.TrimRight(rest, " \t\r\n")
	if len(rest) < 2 || rest[len(rest)-1] != '}' || rest[0] != '{' {
		return 0, 0, nil, false
	}
	return seq, sent, rest[:len(rest)-1], true
}

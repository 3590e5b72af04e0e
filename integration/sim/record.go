package sim

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

// RecordedFrame is one websocket frame the simulator sent, as one JSON
// line of a recording: {"t":…,"conn":…,"frame":"…","binary":…}.
type RecordedFrame struct {
	T      int64  `json:"t"`    // host time of the write, unix milliseconds
	Conn   int    `json:"conn"` // socket number, 1 for the first since Start
	Frame  string `json:"frame"`
	Binary bool   `json:"binary"` // binary frame; false for a text frame
	// Base64 marks a Frame stored as standard base64 because the bytes are
	// not valid UTF-8, as when SplitFrameSize cuts a character in two.
	Base64 bool `json:"base64,omitempty"`
}

// Data returns the frame's bytes.
func (f RecordedFrame) Data() ([]byte, error) {
	if f.Base64 {
		return base64.StdEncoding.DecodeString(f.Frame)
	}
	return []byte(f.Frame), nil
}

// recorder writes frames to Config.Record, one JSON line each.
type recorder struct {
	mu     sync.Mutex
	out    io.Writer
	failed bool
}

// recordFrame appends a frame to the recording, if any. After the first
// write error the recording stops.
func (s *Simulator) recordFrame(conn int, data []byte, binary bool) {
	r := s.recorder
	if r == nil {
		return
	}
	frame := RecordedFrame{T: time.Now().UnixMilli(), Conn: conn, Frame: string(data), Binary: binary}
	if !utf8.Valid(data) {
		frame.Frame, frame.Base64 = base64.StdEncoding.EncodeToString(data), true
	}
	line, err := json.Marshal(frame)
	if err != nil {
		// A RecordedFrame contains only strings, integers and booleans.
		panic(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed {
		return
	}
	if _, err := r.out.Write(append(line, '\n')); err != nil {
		r.failed = true
		s.log.Error("recording stopped: write failed", "err", err)
	}
}

// ReadTrace reads a recording written through Config.Record.
func ReadTrace(r io.Reader) ([]RecordedFrame, error) {
	var frames []RecordedFrame
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 256<<20)
	for number := 1; scanner.Scan(); number++ {
		if len(scanner.Bytes()) == 0 {
			continue
		}
		var frame RecordedFrame
		if err := json.Unmarshal(scanner.Bytes(), &frame); err != nil {
			return nil, fmt.Errorf("sim: trace line %d: %w", number, err)
		}
		if _, err := frame.Data(); err != nil {
			return nil, fmt.Errorf("sim: trace line %d: invalid base64 frame: %w", number, err)
		}
		frames = append(frames, frame)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("sim: read trace: %w", err)
	}
	return frames, nil
}

package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ReplayConfig turns the simulator into a replay server: OAuth and the /nw
// handshake work as usual, but after subscribe_response a socket receives
// the frames one recorded socket received after its own handshake, with
// the recorded gaps divided by Speed. The live model, the scenario and
// the faults do not reach replaying sockets.
type ReplayConfig struct {
	Frames []RecordedFrame // from ReadTrace
	// Conn selects the recorded socket; 0 means the lowest number in
	// Frames.
	Conn int
	// Speed divides the recorded gaps between frames; 0 means 1 (real
	// time) and 10 plays ten times faster.
	Speed float64
}

// replayTrack is the part of a recording that a replaying socket receives.
type replayTrack struct {
	frames []RecordedFrame // frame data already cut to start after the handshake
	speed  float64
}

// newReplayTrack selects the socket's frames and cuts off the handshake
// replies: the application-chooser reply and every leading line with a
// "success" field.
func newReplayTrack(cfg *ReplayConfig) (*replayTrack, error) {
	conn := cfg.Conn
	if conn == 0 && len(cfg.Frames) > 0 {
		conn = slices.MinFunc(cfg.Frames, func(a, b RecordedFrame) int { return a.Conn - b.Conn }).Conn
	}
	var frames []RecordedFrame
	var stream []byte
	for _, f := range cfg.Frames {
		if f.Conn != conn {
			continue
		}
		data, err := f.Data()
		if err != nil {
			return nil, fmt.Errorf("sim: replay frame of socket %d: %w", conn, err)
		}
		frames = append(frames, f)
		stream = append(stream, data...)
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("sim: the trace has no frames of socket %d", conn)
	}
	skip := handshakeLength(stream)
	var kept []RecordedFrame
	for _, f := range frames {
		data, _ := f.Data()
		if skip >= len(data) {
			skip -= len(data)
			continue
		}
		f.Frame, f.Base64 = string(data[skip:]), false
		skip = 0
		kept = append(kept, f)
	}
	speed := cfg.Speed
	if speed <= 0 {
		speed = 1
	}
	return &replayTrack{frames: kept, speed: speed}, nil
}

// handshakeLength returns the number of leading bytes of a socket's
// stream that are handshake replies.
func handshakeLength(stream []byte) int {
	length := 0
	for {
		end := bytes.IndexByte(stream[length:], '\n')
		if end < 0 {
			return length
		}
		line := stream[length : length+end]
		var reply struct {
			Success *bool `json:"success"`
		}
		isReply := string(line) == "0 Application chosen" ||
			(json.Unmarshal(line, &reply) == nil && reply.Success != nil)
		if !isReply {
			return length
		}
		length += end + 1
	}
}

// errReplayDone is returned by replay when the socket closed first.
var errReplayDone = errors.New("socket closed during replay")

// replay queues the track's frames at their recorded pace. It blocks
// while the socket's queue is full, so a replay never drops a slow client.
func (c *stateConn) replay(track *replayTrack) error {
	if len(track.frames) == 0 {
		return nil
	}
	start, first := time.Now(), track.frames[0].T
	for _, f := range track.frames {
		due := start.Add(time.Duration(float64(f.T-first) * float64(time.Millisecond) / track.speed))
		if wait := time.Until(due); wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-c.ctx.Done():
				timer.Stop()
				return errReplayDone
			case <-timer.C:
			}
		}
		select {
		case c.out <- outbound{data: []byte(f.Frame), raw: true, binary: f.Binary}:
		case <-c.ctx.Done():
			return errReplayDone
		}
	}
	return nil
}

package wasmui

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// formatDuration formats seconds as m:ss below an hour and h:mm:ss above,
// so "4:05" and "1:02:03". Negative input formats as "0:00", because clock
// skew must never show a wait that has not begun.
func formatDuration(seconds int64) string {
	seconds = max(0, seconds)
	h := seconds / 3600
	m := seconds / 60 % 60
	s := seconds % 60

	var b []byte
	if h > 0 {
		b = strconv.AppendInt(b, h, 10)
		b = append(b, ':')
		b = appendTwoDigits(b, m)
	} else {
		b = strconv.AppendInt(b, m, 10)
	}
	b = append(b, ':')
	b = appendTwoDigits(b, s)
	return string(b)
}

func appendTwoDigits(b []byte, v int64) []byte {
	if v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, v, 10)
}

// dueWithin is how far, in seconds, an estimated pickup may be from now,
// either way, and still show as "due" rather than as a time.
const dueWithin = 5

// formatPickup words an estimated pickup at appliance time estimate, in
// Unix seconds, relative to now: "in 1:20" ahead of time, "due" within
// dueWithin seconds of it and "overdue 1:20" once it has passed.
func formatPickup(estimate, now int64) string {
	switch left := estimate - now; {
	case left > dueWithin:
		return "in " + formatDuration(left)
	case left < -dueWithin:
		return "overdue " + formatDuration(-left)
	}
	return "due"
}

// formatClock formats appliance Unix seconds as hh:mm in the browser's
// time zone, as "09:05".
// NOTE: the relay sends no time zone, so a browser in another zone than
// the appliance shows its own local time. Go's js/wasm port also takes one
// fixed offset from the browser at start, so a page left open across a
// daylight saving change is an hour off until it reloads.
func formatClock(unix int64) string {
	return time.Unix(unix, 0).Local().Format("15:04")
}

// formatDateTime formats appliance Unix seconds as "2006-01-02 15:04:05" in
// the browser's time zone, or "" for 0, which means unknown.
func formatDateTime(unix int64) string {
	if unix == 0 {
		return ""
	}
	return time.Unix(unix, 0).Local().Format(time.DateTime)
}

// formatDecimal formats v rounded to the given number of decimals, 1 or
// 2, dropping trailing zeros when trim is set: formatDecimal(4.25, 1,
// false) is "4.3", formatDecimal(0.05, 2, true) is "0.05", and
// formatDecimal(5, 2, true) is "5". It avoids strconv.FormatFloat, whose
// code app.wasm does not otherwise need.
func formatDecimal(v float64, decimals int, trim bool) string {
	scale := int64(10)
	if decimals == 2 {
		scale = 100
	}
	n := int64(math.Round(math.Abs(v) * float64(scale)))
	text := strconv.FormatInt(n/scale, 10)
	if v < 0 && n > 0 {
		text = "-" + text
	}
	frac := strconv.FormatInt(scale+n%scale, 10)[1:]
	for trim && frac != "" && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if frac == "" {
		return text
	}
	return text + "." + frac
}

// formatMinutes formats an SLA in seconds as minutes, with up to two
// decimals and only when needed: 300 as "5", 90 as "1.5", 3 as "0.05".
func formatMinutes(seconds int64) string {
	return formatDecimal(float64(seconds)/60, 2, true)
}

// formatAge formats the age of data in seconds in a coarse unit fit for a
// status line: "45 s", "3 min", "2 h". Negative input counts as 0.
func formatAge(seconds int64) string {
	seconds = max(0, seconds)
	switch {
	case seconds < 120:
		return strconv.FormatInt(seconds, 10) + " s"
	case seconds < 2*3600:
		return strconv.FormatInt(seconds/60, 10) + " min"
	}
	return strconv.FormatInt(seconds/3600, 10) + " h"
}

// capRows returns the first limit rows, or every row when the limit is 0
// or less. The result shares the array of rows.
func capRows[T any](rows []T, limit int) []T {
	if limit <= 0 || len(rows) <= limit {
		return rows
	}
	return rows[:limit:limit]
}

// clientTypeLabels names the customer client types the appliance documents.
var clientTypeLabels = map[string]string{
	"desktop":  "Desktop",
	"mobile":   "Mobile",
	"rdp":      "RDP",
	"vnc":      "VNC",
	"vpro":     "vPro",
	"shell":    "Shell",
	"web_chat": "Web chat",
}

// clientTypeLabel returns the display name of a customer client type;
// unknown types are humanised.
func clientTypeLabel(clientType string) string {
	if label, ok := clientTypeLabels[strings.ToLower(clientType)]; ok {
		return label
	}
	return humanize(clientType)
}

// humanize turns an appliance code such as "issue_submission" into
// "Issue submission". The appliance does not document the start method
// values, so they are shown this way rather than from a fixed list.
func humanize(code string) string {
	text := strings.TrimSpace(strings.ReplaceAll(code, "_", " "))
	if text == "" {
		return ""
	}
	return strings.ToUpper(text[:1]) + text[1:]
}

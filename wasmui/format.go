package wasmui

import (
	"strconv"
	"strings"
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

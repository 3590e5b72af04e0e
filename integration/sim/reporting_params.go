package sim

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// windowParameters are the mutually exclusive selections of SupportSession
// and the survey reports.
var windowParameters = []string{"start_date", "start_time", "end_date", "end_time", "lsid", "lsids"}

// parseSelection reads exactly one window or LSID selection, and duration
// with a window.
func parseSelection(form url.Values, now time.Time) (reportRequest, error) {
	var present []string
	for _, name := range windowParameters {
		if values, ok := form[name]; ok {
			if len(values) > 1 {
				return reportRequest{}, fmt.Errorf("parameter %s is given %d times; give it once", name, len(values))
			}
			present = append(present, name)
		}
	}
	if len(present) != 1 {
		return reportRequest{}, fmt.Errorf("exactly one of %s is required, got %d (%s)",
			strings.Join(windowParameters, ", "), len(present), strings.Join(present, ", "))
	}
	name, value := present[0], strings.TrimSpace(form.Get(present[0]))
	var req reportRequest
	if name == "lsid" || name == "lsids" {
		if _, ok := form["duration"]; ok {
			return req, fmt.Errorf("duration applies only to start_date, start_time, end_date and end_time, not to %s", name)
		}
		for _, lsid := range strings.Split(value, ",") {
			if lsid = strings.TrimSpace(lsid); lsid != "" {
				req.lsids = append(req.lsids, lsid)
			}
		}
		if len(req.lsids) == 0 || (name == "lsid" && len(req.lsids) > 1) {
			return req, fmt.Errorf("invalid %s %q: give one LSID, or a comma-separated list in lsids", name, value)
		}
		return req, nil
	}

	// NOTE: whether the appliance defaults a missing duration is not
	// documented; the simulator requires it so clients state the window.
	durationText, ok := form["duration"]
	if !ok || len(durationText) != 1 {
		return req, fmt.Errorf("duration is required once with %s (0 means until now)", name)
	}
	duration, err := strconv.ParseInt(strings.TrimSpace(durationText[0]), 10, 64)
	if err != nil || duration < 0 {
		return req, fmt.Errorf("invalid duration %q: want a whole number of %s, 0 or more", durationText[0], durationUnit(name))
	}
	req.byEnd = strings.HasPrefix(name, "end_")
	if strings.HasSuffix(name, "_date") {
		// NOTE: the appliance uses its local day boundaries; the simulator
		// uses UTC days.
		day, err := time.Parse(time.DateOnly, value)
		if err != nil {
			return req, fmt.Errorf("invalid %s %q: want YYYY-MM-DD", name, value)
		}
		req.from, req.to = day, day.AddDate(0, 0, int(duration))
	} else {
		seconds, err := strconv.ParseInt(value, 10, 64)
		if err != nil || seconds < 0 {
			return req, fmt.Errorf("invalid %s %q: want a UNIX time in seconds", name, value)
		}
		req.from = time.Unix(seconds, 0).UTC()
		req.to = req.from.Add(time.Duration(duration) * time.Second)
	}
	if duration == 0 {
		req.to = now.Add(time.Second)
	}
	return req, nil
}

func durationUnit(parameter string) string {
	if strings.HasSuffix(parameter, "_date") {
		return "days"
	}
	return "seconds"
}

// parseSurveySelection adds report_type and id to the selection. id is
// required with a window and optional with LSIDs.
func parseSurveySelection(form url.Values, req *reportRequest) error {
	req.reportType = form.Get("report_type")
	if req.reportType != "rep" && req.reportType != "team" {
		return fmt.Errorf("invalid report_type %q: use rep or team", req.reportType)
	}
	id, given := form["id"]
	if !given {
		if req.lsids == nil {
			return fmt.Errorf("id is required with a time window: a %s id or all", req.reportType)
		}
		return nil
	}
	if len(id) != 1 {
		return fmt.Errorf("parameter id is given %d times; give it once", len(id))
	}
	if id[0] == "all" {
		return nil
	}
	number, err := strconv.ParseInt(id[0], 10, 64)
	if err != nil || number <= 0 {
		return fmt.Errorf("invalid id %q: want a %s id above 0 or all", id[0], req.reportType)
	}
	req.id = number
	return nil
}

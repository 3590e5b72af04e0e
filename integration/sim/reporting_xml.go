package sim

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
)

// reportWriter writes report XML line by line. Each line has two
// indentations: the regular one of PlainXML and the irregular one of
// appliance templates.
type reportWriter struct {
	buf   bytes.Buffer
	plain bool
}

// line writes one line with plain*2 spaces in plain mode and template
// spaces otherwise.
func (w *reportWriter) line(plain, template int, format string, args ...any) {
	spaces := template
	if w.plain {
		spaces = plain * 2
	}
	w.buf.WriteString(strings.Repeat(" ", spaces))
	fmt.Fprintf(&w.buf, format, args...)
	w.buf.WriteByte('\n')
}

// blank writes an empty line in template mode only.
func (w *reportWriter) blank() {
	if !w.plain {
		w.buf.WriteByte('\n')
	}
}

// esc escapes text for element content and attribute values.
func esc(text string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(text))
	return b.String()
}

// isoTime formats a time as the appliance does: UTC with "+00:00".
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05-07:00")
}

// clockDuration formats a duration as HH:MM:SS; hours may exceed 23.
func clockDuration(d time.Duration) string {
	seconds := int64(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", seconds/3600, seconds/60%60, seconds%60)
}

func (s *Simulator) newReportWriter(root string) *reportWriter {
	w := &reportWriter{plain: s.cfg.Reporting.PlainXML}
	w.buf.WriteString(xml.Header)
	w.line(0, 0, `<%s xmlns="%s">`, root, esc(s.cfg.Reporting.Namespace))
	return w
}

// reportError builds an <error> document. Template mode puts a blank line
// after the declaration, as Bomgar-era appliances do.
func (s *Simulator) reportError(message string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if !s.cfg.Reporting.PlainXML {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "<error xmlns=\"%s\">%s</error>\n", esc(s.cfg.Reporting.Namespace), esc(message))
	return b.Bytes()
}

// emptyReport builds the reply to a report without data.
func (s *Simulator) emptyReport(root string) []byte {
	switch s.cfg.Reporting.EmptyResult {
	case EmptyError:
		return s.reportError(s.cfg.Reporting.NoDataText)
	case EmptyErrorChild:
		w := s.newReportWriter(root)
		w.line(1, 0, "<error>%s</error>", esc(s.cfg.Reporting.NoDataText))
		w.line(0, 0, "</%s>", root)
		return w.buf.Bytes()
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, "<%s xmlns=\"%s\"/>\n", root, esc(s.cfg.Reporting.Namespace))
	return b.Bytes()
}

// sessionSummaryXML writes the SupportSessionListing report.
func (s *Simulator) sessionSummaryXML(sessions []ClosedSession) []byte {
	if len(sessions) == 0 {
		return s.emptyReport("session_summary_list")
	}
	w := s.newReportWriter("session_summary_list")
	end := "/>"
	if !w.plain {
		end = "  />"
	}
	for _, c := range sessions {
		w.line(1, 0, `<session_summary lsid="%s" has_recording="0"%s`, esc(c.LSID), end)
	}
	w.line(0, 0, "</session_summary_list>")
	return w.buf.Bytes()
}

// chatURL returns a session download URL on the request host. The h part
// of the encoded lsid value is a digest, as on the appliance.
func chatURL(host, lsid string, view bool) string {
	digest := sha1.Sum([]byte(lsid))
	value := "l=" + lsid + ";h=" + hex.EncodeToString(digest[:]) + ";t=sd;m=chat"
	link := "https://" + host + "/session_download?lsid=" + url.QueryEscape(value) + "&dl_action=chat"
	if view {
		link += "&view=1"
	}
	return link
}

// sessionListXML writes the SupportSession report.
func (s *Simulator) sessionListXML(req reportRequest, sessions []ClosedSession) []byte {
	if len(sessions) == 0 {
		return s.emptyReport("session_list")
	}
	w := s.newReportWriter("session_list")
	for _, c := range sessions {
		s.writeSession(w, req, c)
	}
	w.line(0, 0, "</session_list>")
	return w.buf.Bytes()
}

func (s *Simulator) writeSession(w *reportWriter, req reportRequest, c ClosedSession) {
	w.line(1, 0, `<session lsid="%s">`, esc(c.LSID))
	w.line(2, 4, "<session_type>support</session_type>")
	w.line(2, 4, "<lseq>%d</lseq>", c.Sequence)
	w.line(2, 4, `<start_time timestamp="%d">%s</start_time>`, c.Start.Unix(), isoTime(c.Start))
	duration := s.now().Sub(c.Start)
	if !c.End.IsZero() {
		w.line(2, 4, `<end_time timestamp="%d">%s</end_time>`, c.End.Unix(), isoTime(c.End))
		duration = c.Duration()
	}
	w.line(2, 4, "<duration>%s</duration>", clockDuration(max(0, duration)))
	w.line(2, 4, `<public_site id="%d">%s</public_site>`, c.PublicSite.ID, esc(c.PublicSite.Name))
	w.line(2, 4, "<external_key>%s</external_key>", esc(c.ExternalKey))
	if len(c.Attributes) == 0 {
		w.line(2, 4, "<custom_attributes></custom_attributes>")
	} else {
		w.line(2, 4, "<custom_attributes>")
		for _, code := range slices.Sorted(maps.Keys(c.Attributes)) {
			w.line(3, 8, `<custom_attribute display_name="%s" code_name="%s">%s</custom_attribute>`,
				esc(code), esc(code), esc(c.Attributes[code]))
		}
		w.line(2, 4, "</custom_attributes>")
	}
	w.line(2, 4, "<session_chat_view_url>%s</session_chat_view_url>", esc(chatURL(req.host, c.LSID, true)))
	w.line(2, 4, "<session_chat_download_url>%s</session_chat_download_url>", esc(chatURL(req.host, c.LSID, false)))
	for _, counter := range []string{"file_transfer_count", "file_move_count", "file_delete_count"} {
		w.line(2, 4, "<%s>0</%s>", counter, counter)
	}
	w.line(2, 4, `<primary_customer gsnumber="%d">%s</primary_customer>`, c.Customer.GSNumber, esc(c.Customer.Name))
	w.blank()
	if primary := c.PrimaryRep(); primary != nil {
		w.line(2, 4, `<primary_rep gsnumber="%d" id="%d">%s</primary_rep>`, primary.GSNumber, primary.UserID, esc(primary.PublicName))
	}
	s.writeParticipants(w, c)
	s.writeEvents(w, c)
	s.writeSessionSurveys(w, c)
	w.line(1, 0, "</session>")
}

func (s *Simulator) writeParticipants(w *reportWriter, c ClosedSession) {
	cust := c.Customer
	w.line(2, 4, "<customer_list>")
	w.line(3, 4, `<customer gsnumber="%d">`, cust.GSNumber)
	w.line(4, 4, "<username>%s</username>", esc(cust.Name))
	w.line(4, 4, "<public_ip>%s</public_ip>", esc(cust.PublicIP))
	w.line(4, 4, "<private_ip>%s</private_ip>", esc(cust.PrivateIP))
	w.line(4, 4, "<hostname>%s</hostname>", esc(cust.Hostname))
	w.line(4, 4, "<os>%s</os>", esc(cust.OS))
	w.line(4, 4, "<primary_cust>1</primary_cust>")
	w.line(4, 4, "<info>")
	w.line(5, 8, "<name>%s</name>", esc(cust.Name))
	w.line(5, 8, "<company>%s</company>", esc(cust.Company))
	w.line(5, 8, "<issue>%s</issue>", esc(cust.Issue))
	w.line(4, 4, "</info>")
	w.line(3, 0, "</customer>")
	w.line(2, 4, "</customer_list>")

	if len(c.Reps) == 0 {
		w.line(2, 4, "<rep_list></rep_list>")
		return
	}
	w.line(2, 4, "<rep_list>")
	for _, rep := range c.Reps {
		w.line(3, 4, `<representative gsnumber="%d" id="%d">`, rep.GSNumber, rep.UserID)
		w.line(4, 4, "<username>%s</username>", esc(rep.Username))
		w.line(4, 4, "<display_name>%s</display_name>", esc(rep.PublicName))
		w.line(4, 4, "<public_display_name>%s</public_display_name>", esc(rep.PublicName))
		w.line(4, 4, "<private_display_name>%s</private_display_name>", esc(rep.PrivateName))
		w.line(4, 8, "<public_ip>%s</public_ip>", esc(rep.PublicIP))
		w.line(4, 4, "<private_ip>%s</private_ip>", esc(rep.PrivateIP))
		w.line(4, 4, "<hostname>%s</hostname>", esc(rep.Hostname))
		w.line(4, 4, "<os>%s</os>", esc(rep.OS))
		w.line(4, 4, "<session_owner>%d</session_owner>", boolColumn(rep.Owner))
		w.line(4, 4, "<primary_rep>%d</primary_rep>", boolColumn(rep.Primary))
		w.line(4, 8, "<seconds_involved>%d</seconds_involved>", rep.SecondsInvolved)
		w.line(3, 0, "</representative>")
	}
	w.line(2, 4, "</rep_list>")
}

// writeEvents writes <session_details>. In template mode an event without
// children contains only whitespace, and every event tag ends in " >".
func (s *Simulator) writeEvents(w *reportWriter, c ClosedSession) {
	w.line(2, 0, "<session_details>")
	for _, e := range c.Events {
		empty := e.PerformedBy == nil && e.Destination == nil && len(e.Data) == 0
		open := fmt.Sprintf(`<event timestamp="%d" event_type="%s"`, e.Time.Unix(), esc(e.Type))
		if w.plain {
			if empty {
				w.line(3, 0, "%s/>", open)
				continue
			}
			w.line(3, 0, "%s>", open)
		} else {
			w.line(3, 0, "%s >", open)
			w.blank()
		}
		for _, p := range []struct {
			tag string
			who *Participant
		}{{"performed_by", e.PerformedBy}, {"destination", e.Destination}} {
			if p.who != nil {
				w.line(4, 4, `<%s type="%s" gsnumber="%d">%s</%s>`, p.tag, esc(p.who.Type), p.who.GSNumber, esc(p.who.Name), p.tag)
			}
		}
		if len(e.Data) > 0 {
			w.line(4, 4, "<data>")
			for _, v := range e.Data {
				end := "/>"
				if !w.plain {
					end = " />"
				}
				w.line(5, 12, `<value name="%s" value="%s"%s`, esc(v.Name), esc(v.Value), end)
			}
			w.line(4, 8, "</data>")
		}
		if empty {
			w.line(3, 4, "</event>")
		} else {
			w.line(3, 0, "</event>")
		}
	}
	w.line(2, 0, "</session_details>")
}

// writeSessionSurveys writes the survey lists of older RS versions inside
// <session>, when the session has surveys.
func (s *Simulator) writeSessionSurveys(w *reportWriter, c ClosedSession) {
	for _, list := range []struct {
		outer, inner string
		survey       *ExitSurvey
	}{{"cust_survey_list", "cust_exit_survey", c.CustomerSurvey}, {"rep_survey_list", "rep_exit_survey", c.RepSurvey}} {
		if list.survey == nil {
			continue
		}
		w.line(2, 0, "<%s>", list.outer)
		w.line(3, 4, `<%s gsnumber="%d">`, list.inner, list.survey.GSNumber)
		for _, a := range list.survey.Answers {
			w.line(4, 8, `<value name="%s" value="%s"/>`, esc(a.Question.Name), esc(strings.Join(a.Values, ",")))
		}
		w.line(3, 4, "</%s>", list.inner)
		w.line(2, 0, "</%s>", list.outer)
	}
}

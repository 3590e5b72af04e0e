package sim

import (
	"encoding/xml"
	"fmt"
	"html"
	"maps"
	"net/url"
	"slices"
	"time"
)

func init() {
	commandActions["get_logged_in_reps"] = (*Simulator).loggedInReps
	commandActions["get_support_teams"] = (*Simulator).supportTeams
	commandActions["check_health"] = (*Simulator).checkHealth
}

// timestampText is an element with a UNIX time attribute and ISO-8601 text.
type timestampText struct {
	Timestamp int64  `xml:"timestamp,attr"`
	Text      string `xml:",chardata"`
}

func newTimestampText(unix int64) timestampText {
	return timestampText{Timestamp: unix, Text: isoTime(time.Unix(unix, 0))}
}

// loggedInRepsReply is the get_logged_in_reps reply.
type loggedInRepsReply struct {
	XMLName xml.Name
	Reps    []loggedInRep `xml:"rep"`
}

func (r *loggedInRepsReply) setNamespace(namespace string) {
	r.XMLName = xml.Name{Space: namespace, Local: "logged_in_reps"}
}

type loggedInRep struct {
	ID                  int64         `xml:"id,attr"` // the user id
	DisplayName         string        `xml:"display_name"`
	PublicDisplayName   string        `xml:"public_display_name"`
	PrivateDisplayName  string        `xml:"private_display_name"`
	Type                string        `xml:"type"`
	DirectLink          string        `xml:"direct_link"`
	LoggedInSince       timestampText `xml:"logged_in_since"`
	PresentationCount   int           `xml:"presentation_count"`
	SupportSessionCount int           `xml:"support_session_count"`
	ShowingOnRepList    int           `xml:"showing_on_rep_list"`
}

// loggedInReps builds get_logged_in_reps from the live model: one <rep>
// per representative row, in row id order, with the number of sessions
// the rep is in.
func (s *Simulator) loggedInReps(req commandRequest) commandReply {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := &loggedInRepsReply{}
	for _, id := range slices.Sorted(maps.Keys(s.site.reps)) {
		r := s.site.reps[id]
		values := s.model.get(TableRepresentative, r.id)
		reply.Reps = append(reply.Reps, loggedInRep{
			ID:                  r.userID,
			DisplayName:         r.publicName,
			PublicDisplayName:   r.publicName,
			PrivateDisplayName:  r.privateName,
			Type:                "Normal",
			DirectLink:          directLink(req.host, r),
			LoggedInSince:       newTimestampText(int64Column(values, "created_timestamp")),
			SupportSessionCount: len(r.sessions),
			ShowingOnRepList:    1,
		})
	}
	return reply
}

// directLink returns the HTML anchor of a rep's direct-start page. The
// reply carries it as escaped text, so clients unescape it once to get
// HTML.
func directLink(host string, r *repEntry) string {
	query := url.Values{"id": {fmt.Sprint(r.userID)}, "name": {r.publicName}}
	href := "https://" + host + "/?" + query.Encode()
	return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(href), html.EscapeString(r.publicName))
}

// supportTeamsReply is the get_support_teams reply.
type supportTeamsReply struct {
	XMLName xml.Name
	Teams   []supportTeam `xml:"support_team"`
}

func (r *supportTeamsReply) setNamespace(namespace string) {
	r.XMLName = xml.Name{Space: namespace, Local: "support_teams"}
}

type supportTeam struct {
	ID       int64        `xml:"id,attr"` // queue.support_team_id
	Name     string       `xml:"name"`
	CodeName string       `xml:"code_name"`
	Members  *teamMembers `xml:"members"`
}

type teamMembers struct {
	Reps []teamMember `xml:"representative"`
}

type teamMember struct {
	ID                 int64  `xml:"id,attr"` // the user id
	DisplayName        string `xml:"display_name"`
	PublicDisplayName  string `xml:"public_display_name"`
	PrivateDisplayName string `xml:"private_display_name"`
}

// supportTeams builds get_support_teams from the site's teams. The
// showmembers parameter, present with any value but "0", adds <members>.
// NOTE: members are the logged-in reps serving the team, because the
// simulator keeps no record of reps who are logged out.
func (s *Simulator) supportTeams(req commandRequest) commandReply {
	_, show := req.params["showmembers"]
	show = show && req.params.Get("showmembers") != "0"
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := &supportTeamsReply{}
	for _, t := range s.site.teams {
		team := supportTeam{ID: t.supportTeamID, Name: t.name, CodeName: t.codeName}
		if show {
			team.Members = &teamMembers{}
			for _, id := range s.site.teamReps[t.codeName] {
				r := s.site.reps[id]
				team.Members.Reps = append(team.Members.Reps, teamMember{
					ID:                 r.userID,
					DisplayName:        r.publicName,
					PublicDisplayName:  r.publicName,
					PrivateDisplayName: r.privateName,
				})
			}
		}
		reply.Teams = append(reply.Teams, team)
	}
	return reply
}

// applianceHealth is the check_health reply.
// NOTE: the vendor documents the action but no reply; this shape is a
// guess built from the names of get_appliances.
type applianceHealth struct {
	XMLName    xml.Name
	Appliances []healthEntry `xml:"appliance"`
}

func (a *applianceHealth) setNamespace(namespace string) {
	a.XMLName = xml.Name{Space: namespace, Local: "appliances"}
}

type healthEntry struct {
	ID           string        `xml:"id,attr"`
	Hostname     string        `xml:"hostname"`
	Version      string        `xml:"version"`
	FailoverRole string        `xml:"failover_role"`
	Enabled      int           `xml:"enabled"`
	Timestamp    timestampText `xml:"timestamp"`
}

// checkHealth reports one healthy primary appliance.
func (s *Simulator) checkHealth(req commandRequest) commandReply {
	return &applianceHealth{Appliances: []healthEntry{{
		ID:           "simulator",
		Hostname:     req.host,
		Version:      s.cfg.Protocol.APIVersion,
		FailoverRole: "primary",
		Enabled:      1,
		Timestamp:    newTimestampText(s.now().Unix()),
	}}}
}

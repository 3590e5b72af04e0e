package sim_test

import (
	"encoding/xml"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

type loggedInRepsDoc struct {
	XMLName xml.Name
	Reps    []struct {
		ID                  int64       `xml:"id,attr"`
		DisplayName         string      `xml:"display_name"`
		PublicDisplayName   string      `xml:"public_display_name"`
		PrivateDisplayName  string      `xml:"private_display_name"`
		Type                string      `xml:"type"`
		DirectLink          string      `xml:"direct_link"`
		LoggedInSince       timeElement `xml:"logged_in_since"`
		SupportSessionCount int         `xml:"support_session_count"`
	} `xml:"rep"`
}

func TestLoggedInRepsMatchModel(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.Scenario = sim.SmallOffice() })
	_, body := command(t, s, "action=get_logged_in_reps", token(t, s))
	var doc loggedInRepsDoc
	decodeXML(t, body, &doc)
	if doc.XMLName.Local != "logged_in_reps" {
		t.Fatalf("root = %v, want logged_in_reps", doc.XMLName)
	}

	// Cross-check against the model the state API streams.
	model := decodeModel(t, s.ModelJSON())
	sessionCount := map[string]int{}
	for _, link := range model["representative_support_session"] {
		sessionCount[strconv.FormatFloat(link["representative_id"].(float64), 'f', 0, 64)]++
	}
	type repView struct {
		UserID        int64
		Public        string
		Private       string
		Since         int64
		Sessions      int
		SinceISOValid bool
	}
	var want, got []repView
	for id, rep := range model["representative"] {
		want = append(want, repView{
			UserID: int64(rep["user_id"].(float64)), Public: rep["public_display_name"].(string),
			Private: rep["private_display_name"].(string), Since: int64(rep["created_timestamp"].(float64)),
			Sessions: sessionCount[id], SinceISOValid: true,
		})
	}
	for _, rep := range doc.Reps {
		got = append(got, repView{
			UserID: rep.ID, Public: rep.PublicDisplayName, Private: rep.PrivateDisplayName, Since: rep.LoggedInSince.Timestamp,
			Sessions: rep.SupportSessionCount, SinceISOValid: strings.HasSuffix(rep.LoggedInSince.Text, "+00:00"),
		})
		if rep.Type != "Normal" || rep.DisplayName != rep.PublicDisplayName {
			t.Errorf("rep %d: type %q, display_name %q, want Normal and the public name", rep.ID, rep.Type, rep.DisplayName)
		}
		wantHref := "/?" + url.Values{"id": {strconv.FormatInt(rep.ID, 10)}, "name": {rep.PublicDisplayName}}.Encode()
		if !strings.HasPrefix(rep.DirectLink, `<a href="https://`) || !strings.Contains(rep.DirectLink, html.EscapeString(wantHref)) {
			t.Errorf("rep %d: direct_link %q, want an anchor to %s", rep.ID, rep.DirectLink, wantHref)
		}
	}
	less := func(a, b repView) bool { return a.UserID < b.UserID }
	if diff := cmp.Diff(want, got, cmpSortSlices(less)); diff != "" {
		t.Errorf("get_logged_in_reps differs from the model (-model +reply):\n%s", diff)
	}
	if !strings.Contains(string(body), "&amp;amp;name=") {
		t.Errorf("direct_link is not escaped text with &amp; in the href:\n%s", body)
	}
}

func TestSupportTeamsShowMembers(t *testing.T) {
	s, _ := startSim(t, nil)
	bearer := token(t, s)
	type teamsDoc struct {
		Teams []struct {
			ID       int64  `xml:"id,attr"`
			Name     string `xml:"name"`
			CodeName string `xml:"code_name"`
			Members  *struct {
				Reps []struct {
					ID int64 `xml:"id,attr"`
				} `xml:"representative"`
			} `xml:"members"`
		} `xml:"support_team"`
	}
	var plain teamsDoc
	_, body := command(t, s, "action=get_support_teams", bearer)
	decodeXML(t, body, &plain)
	teams := s.Teams()
	if len(plain.Teams) != len(teams) {
		t.Fatalf("%d teams, want %d", len(plain.Teams), len(teams))
	}
	for i, team := range plain.Teams {
		if team.ID != teams[i].ID || team.Name != teams[i].Name || team.CodeName != teams[i].CodeName {
			t.Errorf("team %d = %+v, want %+v", i, team, teams[i])
		}
		if team.Members != nil {
			t.Errorf("team %d has members without showmembers", team.ID)
		}
	}

	var members teamsDoc
	_, body = command(t, s, "action=get_support_teams&showmembers", bearer)
	decodeXML(t, body, &members)
	wantMembers := map[string][]int64{}
	for _, rep := range s.Reps() {
		for _, code := range rep.TeamCodeNames {
			wantMembers[code] = append(wantMembers[code], rep.UserID)
		}
	}
	for _, team := range members.Teams {
		if team.Members == nil {
			t.Errorf("team %d: members missing with showmembers", team.ID)
			continue
		}
		var got []int64
		for _, rep := range team.Members.Reps {
			got = append(got, rep.ID)
		}
		if diff := cmp.Diff(wantMembers[team.CodeName], got); diff != "" {
			t.Errorf("team %s members (-want +got):\n%s", team.CodeName, diff)
		}
	}
}

func TestCheckHealth(t *testing.T) {
	s, _ := startSim(t, nil)
	_, body := command(t, s, "action=check_health", token(t, s))
	var doc struct {
		XMLName    xml.Name
		Appliances []struct {
			FailoverRole string `xml:"failover_role"`
		} `xml:"appliance"`
	}
	decodeXML(t, body, &doc)
	if doc.XMLName.Local != "appliances" || len(doc.Appliances) != 1 || doc.Appliances[0].FailoverRole != "primary" {
		t.Errorf("check_health = %s, want one primary appliance", body)
	}
}

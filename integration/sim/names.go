package sim

import (
	"fmt"
	"strings"
)

// Word lists for generated customers, reps and teams. All values are
// invented.
var (
	givenNames = []string{
		"Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Greta", "Hiro",
		"Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nadia", "Oskar", "Priya",
		"Quentin", "Rosa", "Sven", "Tamara", "Umar", "Vera", "Wes", "Yara", "Zoltan",
	}
	familyNames = []string{
		"Abbott", "Berger", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
		"Horvat", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak",
		"Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Urban", "Varga",
		"Weber", "Young", "Zimmer",
	}
	companyNames = []string{
		"Acme Freight", "Birchwood Clinic", "Cobalt Bank", "Delta Mills",
		"Evergreen School", "Fjord Energy", "Granite Legal", "Harbor Hotels",
		"Iris Pharma", "Juniper Retail",
	}
	teamAreas = []string{
		"Service Desk", "Network", "Workplace", "Billing", "Accounts", "Hardware",
		"Printing", "Mobile", "Security", "Applications",
	}
	problemTexts = []string{
		"VPN does not connect", "printer offline", "password reset",
		"laptop very slow", "cannot open invoices", "new phone setup",
		"email not syncing", "screen flickers", "software install request",
		"account locked",
	}
	operatingSystems = []string{"Windows 11", "Windows 10", "macOS 15", "Ubuntu 24.04", "iOS 18", "Android 15"}
)

func (s *site) pick(words []string) string {
	return words[s.rng.IntN(len(words))]
}

func (s *site) personName() string {
	return s.pick(givenNames) + " " + s.pick(familyNames)
}

// teamName returns the display name and code name of the n-th generated
// team, counting from 0. Names stay unique for any n.
func teamName(n int) (name, codeName string) {
	area := teamAreas[n%len(teamAreas)]
	name = area
	if round := n / len(teamAreas); round > 0 {
		name = fmt.Sprintf("%s %d", area, round+1)
	}
	codeName = strings.ToLower(strings.ReplaceAll(name, " ", "_"))
	return name, codeName
}

// privateIP returns an address from 10.0.0.0/8, as customers report it.
func (s *site) privateIP() string {
	return fmt.Sprintf("10.%d.%d.%d", s.rng.IntN(256), s.rng.IntN(256), 1+s.rng.IntN(254))
}

// publicIP returns an address with a source port, the form the appliance
// uses for public_ip. It draws from the documentation ranges of RFC 5737
// so no real host is named.
func (s *site) publicIP() string {
	prefixes := []string{"192.0.2", "198.51.100", "203.0.113"}
	return fmt.Sprintf("%s.%d:%d", s.pick(prefixes), 1+s.rng.IntN(254), 1024+s.rng.IntN(64000))
}

// randomCustomer returns a customer for the scenario, in a random team.
func (s *site) randomCustomer(startMethods []string) Customer {
	name := s.personName()
	company := s.pick(companyNames)
	c := Customer{
		Name:         name,
		Company:      company,
		CompanyCode:  strings.ToLower(strings.Fields(company)[0]),
		Description:  s.pick(problemTexts),
		TeamCodeName: s.teams[s.rng.IntN(len(s.teams))].codeName,
		StartMethod:  s.pick(startMethods),
		ClientType:   s.pick(ClientTypes),
		Priority:     1 + s.rng.IntN(3),
		Hostname:     strings.ToUpper(strings.Fields(name)[0]) + "-PC",
		OS:           s.pick(operatingSystems),
		Elevated:     s.rng.IntN(4) == 0,
	}
	// Two customers in three come through the first public site.
	if len(s.publicSites) > 1 && s.rng.IntN(3) == 0 {
		c.PublicSiteID = s.publicSites[1+s.rng.IntN(len(s.publicSites)-1)].ID
	}
	if s.rng.IntN(3) == 0 {
		c.Attributes = map[string]string{"external_key": fmt.Sprintf("INC-%06d", s.rng.IntN(1000000))}
	}
	if s.rng.IntN(4) == 0 {
		c.Skills = []string{s.pick([]string{"english", "german", "french", "windows", "macos"})}
	}
	return c
}

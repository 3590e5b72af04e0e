package view

import "github.com/rtdash/rtdash/shared/state"

// RepName returns the representative's name in the given format. An empty
// name falls back to the public display name, then to the username.
func RepName(r *state.Representative, format NameFormat) string {
	var name string
	switch format {
	case NamePrivate:
		name = r.PrivateDisplayName
	case NameUsername:
		name = r.Username
	case NamePrivateUsername:
		name = r.PrivateDisplayName
		if name != "" && r.Username != "" {
			name += " (" + r.Username + ")"
		}
	}
	if name == "" {
		name = r.PublicDisplayName
	}
	if name == "" {
		name = r.Username
	}
	return name
}

package sim

// ProtocolConfig holds the switches for protocol details the vendor does
// not confirm, and the limits. Zero values select the defaults named on
// each field.
type ProtocolConfig struct {
	// UseUpdateModelType sends "update_model", the message type of the
	// Bomgar-era development appliance, in place of "model_update".
	UseUpdateModelType bool
	// AuthenticateResponseType is the type of the reply to authenticate;
	// "" means "authenticate_response".
	AuthenticateResponseType string
	// SubscribeResponseType is the type of the reply to subscribe; "" means
	// "subscribe_response".
	SubscribeResponseType string
	// TextFrames sends server messages in text frames instead of the
	// binary frames the vendor documents.
	TextFrames bool
	// SplitFrameSize, when above 0, splits every server message into
	// websocket messages of at most this many bytes.
	SplitFrameSize int
	// PackMessages, when above 1, joins up to this many queued server
	// messages into one websocket message.
	PackMessages int
	// RequireApplicationChooser rejects clients whose first line is not the
	// legacy "NS01<company>" application chooser.
	RequireApplicationChooser bool
	// AllowMissingSubprotocol accepts /nw upgrades that do not offer the
	// "ingredi state api" subprotocol.
	AllowMissingSubprotocol bool
	// SubprotocolRejectStatus is the HTTP status for an upgrade without the
	// subprotocol; 0 means 400.
	SubprotocolRejectStatus int
	// StrictLineEnding waits for "\n" before handling a client line. By
	// default a websocket message that ends without "\n" but holds a
	// complete JSON value is handled as a line.
	StrictLineEnding bool
	// LegacyUsername and LegacyPassword, when both set, are accepted in
	// authenticate credentials as pre-OAuth appliances did.
	LegacyUsername string
	LegacyPassword string
	// KeepSocketsOnRevoke leaves sockets open when their token is revoked
	// (RevokeTokens, RegenerateSecret, or eviction by the 31st token). By
	// default such sockets are closed.
	KeepSocketsOnRevoke bool
	// CloseSocketsOnExpiry closes a socket once its token expires. By
	// default the token is checked only at authenticate.
	CloseSocketsOnExpiry bool
	// MaxConnections caps concurrent /nw sockets; 0 means 30.
	MaxConnections int
	// MaxTokens caps live tokens per client; 0 means 30.
	MaxTokens int
	// SendBuffer is the number of messages queued per socket before the
	// client counts as too slow and is disconnected; 0 means 256.
	SendBuffer int
	// APIVersion is get_api_info <api_version>; "" means "1.24.1".
	APIVersion string
	// OmitCompanyName leaves <company_name> out of get_api_info, as
	// RS 24.3 and later do.
	OmitCompanyName bool
	// CommandNamespace is the XML namespace of Command API replies; ""
	// means "http://www.beyondtrust.com/namespaces/API/command".
	CommandNamespace string
	// Permissions are listed by get_api_info; nil means DefaultPermissions.
	Permissions map[string]string
	// CloseCommandConnections sends "Connection: close" on Command API
	// replies, as the vendor requests of clients.
	CloseCommandConnections bool
}

// DefaultPermissions are the API account permissions get_api_info reports
// unless ProtocolConfig.Permissions is set: enough for a dashboard.
var DefaultPermissions = map[string]string{
	"perm_backup":                 "0",
	"perm_command":                "read_only",
	"perm_configuration":          "1",
	"perm_real_time_state":        "1",
	"perm_reporting_archive":      "0",
	"perm_reporting_license":      "0",
	"perm_reporting_presentation": "0",
	"perm_reporting_support":      "1",
}

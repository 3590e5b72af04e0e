package state

// Table names of the Real-Time State API system state model.
const (
	TableCustomerClient               = "customer_client"
	TableQueue                        = "queue"
	TableRepresentative               = "representative"
	TableRepresentativeQueue          = "representative_queue"
	TableRepresentativeSupportSession = "representative_support_session"
	TableSupportSession               = "support_session"
	TableSupportSessionAttribute      = "support_session_attribute"
	TableSupportSessionSkill          = "support_session_skill"
	TablePresentationSession          = "presentation_session"
	TableAttendee                     = "attendee"
	TablePresenter                    = "presenter"
)

// tableCount is the number of tables in TableNames.
const tableCount = 11

// TableNames lists every table of the model in the order snapshots use.
var TableNames = []string{
	TableCustomerClient,
	TableQueue,
	TableRepresentative,
	TableRepresentativeQueue,
	TableRepresentativeSupportSession,
	TableSupportSession,
	TableSupportSessionAttribute,
	TableSupportSessionSkill,
	TablePresentationSession,
	TableAttendee,
	TablePresenter,
}

// CustomerClient is a customer client connected to the appliance. A support
// session can outlive its customer clients.
type CustomerClient struct {
	Meta
	SupportSessionID int64  // support_session_id
	ClientType       string // client_type: desktop, mobile, rdp, vnc, vpro, shell, web_chat
	Elevated         bool   // elevated
	Hostname         string // hostname
	OperatingSystem  string // operating_system
	PrivateIP        string // private_ip
	PublicIP         string // public_ip, with the port
	CreatedTimestamp int64  // created_timestamp, Unix seconds
}

var customerClientSchema = newSchema(
	intColumn("support_session_id", func(r *CustomerClient) *int64 { return &r.SupportSessionID }),
	stringColumn("client_type", func(r *CustomerClient) *string { return &r.ClientType }),
	boolColumn("elevated", func(r *CustomerClient) *bool { return &r.Elevated }),
	stringColumn("hostname", func(r *CustomerClient) *string { return &r.Hostname }),
	stringColumn("operating_system", func(r *CustomerClient) *string { return &r.OperatingSystem }),
	stringColumn("private_ip", func(r *CustomerClient) *string { return &r.PrivateIP }),
	stringColumn("public_ip", func(r *CustomerClient) *string { return &r.PublicIP }),
	intColumn("created_timestamp", func(r *CustomerClient) *int64 { return &r.CreatedTimestamp }),
)

// Queue is a support queue: a support team's queue or a representative's
// personal queue.
type Queue struct {
	Meta
	Name             string // name
	CodeName         string // code_name; the team code name for team queues
	Type             string // type: "team", or another kind such as "personal"
	SupportTeamID    int64  // support_team_id; set for team queues
	CreatedTimestamp int64  // created_timestamp, Unix seconds
}

var queueSchema = newSchema(
	stringColumn("name", func(r *Queue) *string { return &r.Name }),
	stringColumn("code_name", func(r *Queue) *string { return &r.CodeName }),
	stringColumn("type", func(r *Queue) *string { return &r.Type }),
	intColumn("support_team_id", func(r *Queue) *int64 { return &r.SupportTeamID }),
	intColumn("created_timestamp", func(r *Queue) *int64 { return &r.CreatedTimestamp }),
)

// QueueTypeTeam is the queue type of support team queues.
const QueueTypeTeam = "team"

// IsTeam reports whether q is a support team's queue.
func (q *Queue) IsTeam() bool { return q.Type == QueueTypeTeam }

// Representative is a logged-in representative. Its id is the row id, not
// the user account id.
type Representative struct {
	Meta
	UserID             int64  // user_id
	Username           string // username
	PublicDisplayName  string // public_display_name
	PrivateDisplayName string // private_display_name
	RoutingAvailable   bool   // routing_available
	RoutingBusy        bool   // routing_busy
	RoutingIdle        bool   // routing_idle
	RoutingEnabled     bool   // routing_enabled: automatic session assignment on
	SkillCodeNames     string // skill_code_names
	QueueID            int64  // queue_id: the representative's personal queue
	Hostname           string // hostname
	OperatingSystem    string // operating_system
	PrivateIP          string // private_ip
	PublicIP           string // public_ip
	CreatedTimestamp   int64  // created_timestamp: about the login time
}

var representativeSchema = newSchema(
	intColumn("user_id", func(r *Representative) *int64 { return &r.UserID }),
	stringColumn("username", func(r *Representative) *string { return &r.Username }),
	stringColumn("public_display_name", func(r *Representative) *string { return &r.PublicDisplayName }),
	stringColumn("private_display_name", func(r *Representative) *string { return &r.PrivateDisplayName }),
	boolColumn("routing_available", func(r *Representative) *bool { return &r.RoutingAvailable }),
	boolColumn("routing_busy", func(r *Representative) *bool { return &r.RoutingBusy }),
	boolColumn("routing_idle", func(r *Representative) *bool { return &r.RoutingIdle }),
	boolColumn("routing_enabled", func(r *Representative) *bool { return &r.RoutingEnabled }),
	textColumn("skill_code_names", func(r *Representative) *string { return &r.SkillCodeNames }),
	intColumn("queue_id", func(r *Representative) *int64 { return &r.QueueID }),
	stringColumn("hostname", func(r *Representative) *string { return &r.Hostname }),
	stringColumn("operating_system", func(r *Representative) *string { return &r.OperatingSystem }),
	stringColumn("private_ip", func(r *Representative) *string { return &r.PrivateIP }),
	stringColumn("public_ip", func(r *Representative) *string { return &r.PublicIP }),
	intColumn("created_timestamp", func(r *Representative) *int64 { return &r.CreatedTimestamp }),
)

// RepresentativeQueue links a representative to a queue it may take
// support sessions from.
type RepresentativeQueue struct {
	Meta
	RepresentativeID int64 // representative_id
	QueueID          int64 // queue_id
	CreatedTimestamp int64 // created_timestamp
}

var representativeQueueSchema = newSchema(
	intColumn("representative_id", func(r *RepresentativeQueue) *int64 { return &r.RepresentativeID }),
	intColumn("queue_id", func(r *RepresentativeQueue) *int64 { return &r.QueueID }),
	intColumn("created_timestamp", func(r *RepresentativeQueue) *int64 { return &r.CreatedTimestamp }),
)

// RepresentativeSupportSession records one representative's participation in
// one support session.
type RepresentativeSupportSession struct {
	Meta
	SupportSessionID int64 // support_session_id
	RepresentativeID int64 // representative_id: a representative row id
	CreatedTimestamp int64 // created_timestamp: about when the representative joined
}

var representativeSupportSessionSchema = newSchema(
	intColumn("support_session_id", func(r *RepresentativeSupportSession) *int64 { return &r.SupportSessionID }),
	intColumn("representative_id", func(r *RepresentativeSupportSession) *int64 { return &r.RepresentativeID }),
	intColumn("created_timestamp", func(r *RepresentativeSupportSession) *int64 { return &r.CreatedTimestamp }),
)

// SupportSession is a support session, waiting in a team queue or held by
// representatives.
type SupportSession struct {
	Meta
	LSID                     string // lsid: 32 hex digits, the key to reporting
	QueueID                  int64  // queue_id: the queue it currently sits in
	QueueEntryTimestamp      int64  // queue_entry_timestamp: entry into that queue
	CustomerName             string // customer_name
	CustomerCompany          string // customer_company
	CustomerCompanyCode      string // customer_company_code
	CustomerDescription      string // customer_description: the issue text
	StartMethod              string // start_method
	Priority                 int64  // priority
	EstimatedPickupTimestamp int64  // estimated_pickup_timestamp; 0 when unknown
	CreatedTimestamp         int64  // created_timestamp: the session start
}

var supportSessionSchema = newSchema(
	stringColumn("lsid", func(r *SupportSession) *string { return &r.LSID }),
	intColumn("queue_id", func(r *SupportSession) *int64 { return &r.QueueID }),
	intColumn("queue_entry_timestamp", func(r *SupportSession) *int64 { return &r.QueueEntryTimestamp }),
	stringColumn("customer_name", func(r *SupportSession) *string { return &r.CustomerName }),
	stringColumn("customer_company", func(r *SupportSession) *string { return &r.CustomerCompany }),
	stringColumn("customer_company_code", func(r *SupportSession) *string { return &r.CustomerCompanyCode }),
	stringColumn("customer_description", func(r *SupportSession) *string { return &r.CustomerDescription }),
	stringColumn("start_method", func(r *SupportSession) *string { return &r.StartMethod }),
	intColumn("priority", func(r *SupportSession) *int64 { return &r.Priority }),
	intColumn("estimated_pickup_timestamp", func(r *SupportSession) *int64 { return &r.EstimatedPickupTimestamp }),
	intColumn("created_timestamp", func(r *SupportSession) *int64 { return &r.CreatedTimestamp }),
)

// SupportSessionAttribute is a custom attribute of a support session.
type SupportSessionAttribute struct {
	Meta
	SupportSessionID int64  // support_session_id
	CodeName         string // code_name
	Value            string // value
	CreatedTimestamp int64  // created_timestamp
}

var supportSessionAttributeSchema = newSchema(
	intColumn("support_session_id", func(r *SupportSessionAttribute) *int64 { return &r.SupportSessionID }),
	stringColumn("code_name", func(r *SupportSessionAttribute) *string { return &r.CodeName }),
	textColumn("value", func(r *SupportSessionAttribute) *string { return &r.Value }),
	intColumn("created_timestamp", func(r *SupportSessionAttribute) *int64 { return &r.CreatedTimestamp }),
)

// SupportSessionSkill is a skill attached to a support session for
// skills-based routing.
type SupportSessionSkill struct {
	Meta
	SupportSessionID int64  // support_session_id
	CodeName         string // code_name
	Value            string // value; listed by some clients, unconfirmed
	CreatedTimestamp int64  // created_timestamp
}

var supportSessionSkillSchema = newSchema(
	intColumn("support_session_id", func(r *SupportSessionSkill) *int64 { return &r.SupportSessionID }),
	stringColumn("code_name", func(r *SupportSessionSkill) *string { return &r.CodeName }),
	textColumn("value", func(r *SupportSessionSkill) *string { return &r.Value }),
	intColumn("created_timestamp", func(r *SupportSessionSkill) *int64 { return &r.CreatedTimestamp }),
)

// OpaqueRow is a row of a presentation table (presentation_session,
// attendee, presenter). Their columns are not documented, so every column is
// kept as received in Meta.Extra and reported as unknown only once per
// column name.
type OpaqueRow struct {
	Meta
}

var opaqueSchema = func() *schema[OpaqueRow] {
	s := newSchema[OpaqueRow]()
	s.opaque = true
	return s
}()

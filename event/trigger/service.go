package trigger

import "encoding/json"

// TimerEvent is the payload of a timer (time) trigger.
type TimerEvent struct {
	TriggerTime Time   `json:"triggerTime,omitzero"` // the scheduled time, UTC
	TriggerName string `json:"triggerName"`          // the timer trigger's name
	Payload     string `json:"payload"`              // the trigger's configured payload, verbatim
}

// SLSEvent is the payload of a Simple Log Service (SLS) trigger: a range of
// one shard to read with the SLS SDK (from BeginCursor to EndCursor).
type SLSEvent struct {
	// Parameter is the trigger's configured function parameter as JSON
	// text, compacted like [Body] ("{}" when none is set).
	Parameter  json.RawMessage `json:"parameter,omitempty"`
	Source     SLSSource       `json:"source"`              // the shard range to read
	JobName    string          `json:"jobName"`             // the SLS ETL job behind the trigger
	TaskID     string          `json:"taskId"`              // this invocation's id within the job
	CursorTime UnixSeconds     `json:"cursorTime,omitzero"` // sent as epoch seconds
}

// SLSSource is the shard an [SLSEvent] covers.
type SLSSource struct {
	Endpoint     string `json:"endpoint"`     // the SLS endpoint to read from, e.g. "http://cn-hangzhou-intranet.log.aliyuncs.com"
	ProjectName  string `json:"projectName"`  // the SLS project
	LogstoreName string `json:"logstoreName"` // the Logstore in ProjectName
	ShardID      Int64  `json:"shardId"`      // the shard of LogstoreName
	BeginCursor  string `json:"beginCursor"`  // cursor of the first log group to read (inclusive), base64 text
	EndCursor    string `json:"endCursor"`    // cursor where reading stops (exclusive), base64 text
}

// UnmarshalJSON implements json.Unmarshaler.
func (e *SLSEvent) UnmarshalJSON(b []byte) error {
	type plain SLSEvent
	if err := json.Unmarshal(b, (*plain)(e)); err != nil {
		return err
	}
	normalizeRaw(&e.Parameter)
	return nil
}

// The CDN event names, as in [CDNRecord.EventName].
const (
	CDNCachedObjectsRefreshed = "CachedObjectsRefreshed" // a refresh task finished
	CDNCachedObjectsPushed    = "CachedObjectsPushed"    // a prefetch task finished
	CDNCachedObjectsBlocked   = "CachedObjectsBlocked"   // objects were blocked
	CDNLogFileCreated         = "LogFileCreated"         // an access log file is ready
	CDNDomainStarted          = "CdnDomainStarted"
	CDNDomainStopped          = "CdnDomainStopped"
	CDNDomainAdded            = "CdnDomainAdded"
	CDNDomainDeleted          = "CdnDomainDeleted"
)

// CDNEvent is the payload of a CDN trigger.
type CDNEvent struct {
	Events []CDNRecord `json:"events"` // the CDN events, usually one
}

// CDNRecord is one CDN event.
type CDNRecord struct {
	EventName      string            `json:"eventName"`          // one of the CDN* event-name constants
	EventVersion   string            `json:"eventVersion"`       // "1.0.0"
	EventSource    string            `json:"eventSource"`        // "cdn"
	Region         string            `json:"region"`             // e.g. "cn-hangzhou"
	EventTime      Time              `json:"eventTime,omitzero"` // when the event happened, with the sent offset (e.g. "+08:00")
	TraceID        string            `json:"traceId"`            // a UUID that identifies the event
	Resource       CDNResource       `json:"resource"`           // the domain the event is about
	EventParameter CDNEventParameter `json:"eventParameter"`     // the parameters of EventName
	UserIdentity   CDNUserIdentity   `json:"userIdentity"`       // the account that owns the domain
}

// CDNResource is the domain a [CDNRecord] is about.
type CDNResource struct {
	Domain string `json:"domain"` // the accelerated domain, e.g. "example.com"
}

// CDNUserIdentity is the account that owns the domain.
type CDNUserIdentity struct {
	AliUID String `json:"aliUid"` // id of the Alibaba Cloud account that owns the domain
}

// CDNEventParameter holds the event-specific parameters of every CDN event
// name; those an event does not send are zero.
type CDNEventParameter struct {
	Domain string `json:"domain"` // every event

	// CdnDomainStarted, CdnDomainStopped.
	Status string `json:"status,omitempty"` // e.g. "online"

	// CachedObjectsRefreshed, CachedObjectsPushed, CachedObjectsBlocked.
	ObjectPath   []string    `json:"objectPath,omitzero"`
	ObjectType   string      `json:"objectType,omitempty"`  // "File" or "Directory"
	TaskID       Int64       `json:"taskId,omitempty"`      // the refresh, prefetch or block task's id
	CreateTime   UnixSeconds `json:"createTime,omitzero"`   // sent as epoch seconds
	CompleteTime UnixSeconds `json:"completeTime,omitzero"` // sent as epoch seconds

	// LogFileCreated.
	FilePath  string      `json:"filePath,omitempty"` // a signed URL to download the log file
	FileSize  Int64       `json:"fileSize,omitempty"` // bytes
	StartTime UnixSeconds `json:"startTime,omitzero"` // first second the log covers
	EndTime   UnixSeconds `json:"endTime,omitzero"`   // end of the period the log covers
}

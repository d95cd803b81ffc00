package trigger

import "encoding/json"

// TimerEvent is the payload of a timer (time) trigger.
type TimerEvent struct {
	TriggerTime Time   `json:"triggerTime,omitzero"` // the scheduled time, UTC
	TriggerName string `json:"triggerName"`
	Payload     string `json:"payload"` // the trigger's configured payload, verbatim
}

// SLSEvent is the payload of a Simple Log Service (SLS) trigger: a range of
// one shard to read with the SLS SDK (from BeginCursor to EndCursor).
type SLSEvent struct {
	// Parameter is the trigger's configured function parameter as JSON
	// text, compacted like [Body] ("{}" when none is set).
	Parameter  json.RawMessage `json:"parameter,omitempty"`
	Source     SLSSource       `json:"source"`
	JobName    string          `json:"jobName"`
	TaskID     string          `json:"taskId"`
	CursorTime UnixSeconds     `json:"cursorTime,omitzero"` // sent as epoch seconds
}

// SLSSource is the shard an [SLSEvent] covers.
type SLSSource struct {
	Endpoint     string `json:"endpoint"` // the SLS endpoint to read from, e.g. "http://cn-hangzhou-intranet.log.aliyuncs.com"
	ProjectName  string `json:"projectName"`
	LogstoreName string `json:"logstoreName"`
	ShardID      Int64  `json:"shardId"`
	BeginCursor  string `json:"beginCursor"`
	EndCursor    string `json:"endCursor"`
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
	Events []CDNRecord `json:"events"`
}

// CDNRecord is one CDN event.
type CDNRecord struct {
	EventName      string            `json:"eventName"` // one of the CDN* event-name constants
	EventVersion   string            `json:"eventVersion"`
	EventSource    string            `json:"eventSource"` // "cdn"
	Region         string            `json:"region"`
	EventTime      Time              `json:"eventTime,omitzero"`
	TraceID        string            `json:"traceId"`
	Resource       CDNResource       `json:"resource"`
	EventParameter CDNEventParameter `json:"eventParameter"`
	UserIdentity   CDNUserIdentity   `json:"userIdentity"`
}

// CDNResource is the domain a [CDNRecord] is about.
type CDNResource struct {
	Domain string `json:"domain"`
}

// CDNUserIdentity is the account that owns the domain.
type CDNUserIdentity struct {
	AliUID String `json:"aliUid"`
}

// CDNEventParameter holds the event-specific parameters of every CDN event
// name; those an event does not send are zero.
type CDNEventParameter struct {
	Domain string `json:"domain"` // every event

	// CdnDomainStarted, CdnDomainStopped.
	Status string `json:"status,omitempty"` // e.g. "online"

	// CachedObjectsRefreshed, CachedObjectsPushed, CachedObjectsBlocked.
	ObjectPath   []string    `json:"objectPath,omitzero"`
	ObjectType   string      `json:"objectType,omitempty"` // "File" or "Directory"
	TaskID       Int64       `json:"taskId,omitempty"`
	CreateTime   UnixSeconds `json:"createTime,omitzero"`   // sent as epoch seconds
	CompleteTime UnixSeconds `json:"completeTime,omitzero"` // sent as epoch seconds

	// LogFileCreated.
	FilePath  string      `json:"filePath,omitempty"` // a signed URL to download the log file
	FileSize  Int64       `json:"fileSize,omitempty"` // bytes
	StartTime UnixSeconds `json:"startTime,omitzero"` // first second the log covers
	EndTime   UnixSeconds `json:"endTime,omitzero"`   // end of the period the log covers
}

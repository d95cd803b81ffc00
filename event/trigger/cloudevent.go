package trigger

import "encoding/json"

// CloudEventAttributes are the CloudEvents 1.0 context attributes
// EventBridge sets on every event it delivers, with Alibaba Cloud's
// extensions. The typed records of EventBridge-based triggers (MNS queue,
// RocketMQ, RabbitMQ, Kafka) embed them.
type CloudEventAttributes struct {
	ID              string `json:"id"`                        // unique per Source; a redelivered event keeps its id
	Source          string `json:"source"`                    // the event source, e.g. "acs.ebs", "acs:alikafka", or the trigger's name
	SpecVersion     string `json:"specversion"`               // "1.0"
	Type            string `json:"type"`                      // e.g. "mns:Queue:SendMessage", "alikafka:Topic:Message"
	DataContentType string `json:"datacontenttype,omitempty"` // media type of data, e.g. "application/json; charset=utf-8"
	DataSchema      string `json:"dataschema,omitempty"`      // URI of data's schema, when set
	Subject         string `json:"subject,omitempty"`         // the resource, e.g. "acs:mns:cn-hangzhou:<account>:queues/<name>"
	Time            Time   `json:"time,omitzero"`             // when the event happened

	AliyunAccountID         String `json:"aliyunaccountid,omitempty"`         // account that owns the event bus
	AliyunPublishTime       Time   `json:"aliyunpublishtime,omitzero"`        // when EventBridge received it ("…PRC" accepted)
	AliyunOriginalAccountID String `json:"aliyunoriginalaccountid,omitempty"` // account that produced the event
	AliyunEventBusName      string `json:"aliyuneventbusname,omitempty"`      // the event bus
	AliyunRegionID          string `json:"aliyunregionid,omitempty"`          // region of the event bus
	AliyunPublishAddr       string `json:"aliyunpublishaddr,omitempty"`       // address the event was published from (masked)
}

// CloudEvent is an EventBridge event with its data kept raw: the envelope
// of Alibaba Cloud service events routed to a function (ECS, EBS,
// CloudMonitor…) and of custom events. Decode Data into the type its Type
// announces:
//
//	var d DiskEvent
//	err := json.Unmarshal(e.Data, &d)
type CloudEvent struct {
	CloudEventAttributes

	// Data is the data attribute's JSON text, compacted (whitespace
	// between tokens removed; see [Body]); nil when the event has none.
	// It is owned by the CloudEvent and safe to keep.
	Data json.RawMessage `json:"data,omitempty"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (e *CloudEvent) UnmarshalJSON(b []byte) error {
	type plain CloudEvent
	if err := json.Unmarshal(b, (*plain)(e)); err != nil {
		return err
	}
	normalizeRaw(&e.Data)
	return nil
}

package trigger

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The formats of an MNS topic subscription, as in [MNSTopicEvent.Format].
const (
	MNSTopicJSON   = "JSON"   // a JSON object with the message and its metadata
	MNSTopicStream = "STREAM" // the raw message, or {"body","attrs"} when it has attributes
)

// MNSTopicEvent is a message from an MNS (SMQ) topic trigger, in either
// subscription format:
//
//   - JSON: {"TopicOwner", "TopicName", "Message", "PublishTime" (epoch ms),
//     "MessageId", …}, with the message's attributes as extra members;
//   - STREAM with attributes: {"body": "<message>", "attrs": {…}};
//   - STREAM without attributes: the message itself, byte for byte, which
//     need not be JSON at all.
//
// It decodes all three through [event.JSON]: it implements
// event.PayloadUnmarshaler, which receives the payload before any JSON
// check. A payload is taken as the JSON format when it is an object with
// "Message" or "MessageId" and as STREAM with attributes when it is an
// object whose only members are a string "body" and an object "attrs";
// anything else is a raw STREAM message (so a raw message that happens to
// be JSON of one of those shapes is read as that shape).
//
// It encodes in its Format, except that a raw STREAM message encodes as
// {"body": "<message>", "attrs": null} (a raw text is not a JSON value).
//
// [event.JSON]: https://pkg.go.dev/github.com/fcgo/fcgo/event#JSON
type MNSTopicEvent struct {
	Format string // MNSTopicJSON or MNSTopicStream

	// Message is the message: Message in the JSON format, body or the
	// whole payload in STREAM format.
	Message string

	// Attributes are the message's attributes: the members of a JSON-format
	// payload other than the metadata below, or STREAM's attrs. A STREAM
	// message's user attributes arrive JSON-encoded under "Extend".
	Attributes map[string]String

	// The metadata below is sent in the JSON format only.
	TopicOwner       String    // account id of the topic's owner
	TopicName        string    // the topic
	Subscriber       String    // account id of the subscriber
	SubscriptionName string    // the subscription that delivered the message
	MessageID        string    // MessageId
	MessageMD5       string    // MD5 of the message body, hex
	PublishTime      UnixMilli // when the message was published (sent as epoch ms)
}

// mnsTopicJSON is the JSON format's metadata.
type mnsTopicJSON struct {
	TopicOwner       String    `json:"TopicOwner,omitempty"`
	Message          string    `json:"Message"`
	Subscriber       String    `json:"Subscriber,omitempty"`
	PublishTime      UnixMilli `json:"PublishTime,omitzero"`
	SubscriptionName string    `json:"SubscriptionName,omitempty"`
	MessageMD5       string    `json:"MessageMD5,omitempty"`
	TopicName        string    `json:"TopicName,omitempty"`
	MessageID        string    `json:"MessageId,omitempty"`
}

var mnsTopicFields = map[string]bool{
	"TopicOwner": true, "Message": true, "Subscriber": true, "PublishTime": true,
	"SubscriptionName": true, "MessageMD5": true, "TopicName": true, "MessageId": true,
}

type mnsTopicStream struct {
	Body  string            `json:"body"`
	Attrs map[string]String `json:"attrs"`
}

// UnmarshalPayload decodes a whole invocation payload in any of the three
// forms; see [MNSTopicEvent]. It implements event.PayloadUnmarshaler.
func (e *MNSTopicEvent) UnmarshalPayload(payload []byte) error {
	if t := bytes.TrimSpace(payload); len(t) > 0 && t[0] == '{' && json.Valid(t) {
		return e.decode(t, payload)
	}
	*e = MNSTopicEvent{Format: MNSTopicStream, Message: string(payload)}
	return nil
}

// UnmarshalJSON implements json.Unmarshaler. A JSON value that is not an
// object of the JSON or STREAM-with-attributes shape is a raw STREAM
// message: its text is the message.
func (e *MNSTopicEvent) UnmarshalJSON(b []byte) error { return e.decode(b, b) }

// decode reads the JSON value b; a raw STREAM message keeps raw, the text
// as it arrived (b may have been trimmed of surrounding whitespace).
func (e *MNSTopicEvent) decode(b, raw []byte) error {
	var members map[string]json.RawMessage
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &members) != nil {
		*e = MNSTopicEvent{Format: MNSTopicStream, Message: string(raw)}
		return nil
	}
	_, hasMessage := members["Message"]
	_, hasID := members["MessageId"]
	if hasMessage || hasID {
		return e.unmarshalJSONFormat(b, members)
	}
	var s mnsTopicStream
	if isStreamShape(members) && json.Unmarshal(b, &s) == nil {
		*e = MNSTopicEvent{Format: MNSTopicStream, Message: s.Body, Attributes: s.Attrs}
		return nil
	}
	*e = MNSTopicEvent{Format: MNSTopicStream, Message: string(raw)}
	return nil
}

func isStreamShape(members map[string]json.RawMessage) bool {
	body, ok := members["body"]
	if !ok || len(body) == 0 || body[0] != '"' {
		return false
	}
	attrs, ok := members["attrs"]
	return len(members) == 1 || len(members) == 2 && ok && len(attrs) > 0 && (attrs[0] == '{' || string(attrs) == "null")
}

func (e *MNSTopicEvent) unmarshalJSONFormat(b []byte, members map[string]json.RawMessage) error {
	var m mnsTopicJSON
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("trigger: MNS topic message in JSON format: %w", err)
	}
	var attrs map[string]String
	for k, v := range members {
		if mnsTopicFields[k] {
			continue
		}
		var s String
		if s.UnmarshalJSON(v) != nil {
			s = String(normalizeJSON(v)) // an object or array: keep its JSON text
		}
		if attrs == nil {
			attrs = make(map[string]String)
		}
		attrs[k] = s
	}
	*e = MNSTopicEvent{
		Format:           MNSTopicJSON,
		Message:          m.Message,
		Attributes:       attrs,
		TopicOwner:       m.TopicOwner,
		TopicName:        m.TopicName,
		Subscriber:       m.Subscriber,
		SubscriptionName: m.SubscriptionName,
		MessageID:        m.MessageID,
		MessageMD5:       m.MessageMD5,
		PublishTime:      m.PublishTime,
	}
	return nil
}

// MarshalJSON implements json.Marshaler; see [MNSTopicEvent] for the form.
func (e MNSTopicEvent) MarshalJSON() ([]byte, error) {
	if e.Format != MNSTopicJSON {
		return json.Marshal(mnsTopicStream{Body: e.Message, Attrs: e.Attributes})
	}
	b, err := json.Marshal(mnsTopicJSON{
		TopicOwner: e.TopicOwner, Message: e.Message, Subscriber: e.Subscriber,
		PublishTime: e.PublishTime, SubscriptionName: e.SubscriptionName,
		MessageMD5: e.MessageMD5, TopicName: e.TopicName, MessageID: e.MessageID,
	})
	if err != nil || len(e.Attributes) == 0 {
		return b, err
	}
	extra := make(map[string]String, len(e.Attributes))
	for k, v := range e.Attributes {
		if !mnsTopicFields[k] {
			extra[k] = v
		}
	}
	if len(extra) == 0 {
		return b, nil
	}
	rest, err := json.Marshal(extra)
	if err != nil {
		return nil, err
	}
	// Splice the attributes into the object: {…} + {…} → {…,…}.
	return append(append(b[:len(b)-1], ','), rest[1:]...), nil
}

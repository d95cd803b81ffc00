package trigger

// Records of the message-queue triggers and their batches. FC delivers
// these triggers through EventBridge in batches (a JSON array), but other
// published samples show a single object for the same trigger, and the
// official Go SDK's Kafka sample an array of JSON strings: every batch type
// here accepts all three and always encodes as an array.

// Properties is a message's property map. Values keep their exact text even
// when sent as numbers (RocketMQ's CONSUME_START_TIME).
type Properties map[string]String

// MNSQueueEvent is one message from an MNS (SMQ) queue trigger.
type MNSQueueEvent struct {
	CloudEventAttributes
	Data MNSQueueMessage `json:"data"` // the queue message
}

// MNSQueueMessage is the data of an [MNSQueueEvent].
type MNSQueueMessage struct {
	RequestID string `json:"requestId"` // MNS's id of the request that sent the message
	MessageID string `json:"messageId"` // MNS's id of the message
	// MessageBody is the message as sent, or base64-encoded when the
	// trigger is configured to encode it: use MessageBody.String or
	// MessageBody.Base64.
	MessageBody Body `json:"messageBody,omitempty"`
}

// MNSQueueEvents is a batch of MNS queue messages.
type MNSQueueEvents []MNSQueueEvent

// UnmarshalJSON implements json.Unmarshaler: an array or a single object.
func (b *MNSQueueEvents) UnmarshalJSON(data []byte) error {
	v, err := unmarshalBatch[MNSQueueEvent](data, "MNSQueueEvents")
	*b = v
	return err
}

// RocketMQEvent is one message from an ApsaraMQ for RocketMQ (Alibaba Cloud
// RocketMQ) trigger.
type RocketMQEvent struct {
	CloudEventAttributes
	Data RocketMQMessage `json:"data"` // the topic message
}

// RocketMQMessage is the data of a [RocketMQEvent].
type RocketMQMessage struct {
	Topic            string     `json:"topic"`                     // the topic the message was sent to
	SystemProperties Properties `json:"systemProperties,omitzero"` // TAGS, KEYS, MSG_REGION, CONSUME_START_TIME (ms, sent as a number) …
	UserProperties   Properties `json:"userProperties,omitzero"`   // properties the producer set; empty when none
	Body             Body       `json:"body,omitempty"`            // the message body as sent (a string in published samples)
}

// RocketMQEvents is a batch of RocketMQ messages.
type RocketMQEvents []RocketMQEvent

// UnmarshalJSON implements json.Unmarshaler: an array or a single object.
func (b *RocketMQEvents) UnmarshalJSON(data []byte) error {
	v, err := unmarshalBatch[RocketMQEvent](data, "RocketMQEvents")
	*b = v
	return err
}

// ApacheRocketMQEvent is one message from a self-managed Apache RocketMQ
// trigger. It has no CloudEvents envelope.
type ApacheRocketMQEvent struct {
	MsgID            string     `json:"msgId"`                     // the message id, as UNIQ_KEY in SystemProperties
	Topic            string     `json:"topic"`                     // the topic the message was sent to
	SystemProperties Properties `json:"systemProperties,omitzero"` // UNIQ_KEY, CLUSTER, TAGS, MIN_OFFSET, MAX_OFFSET …
	UserProperties   Properties `json:"userProperties,omitzero"`   // properties the producer set; empty when none
	Body             Body       `json:"body,omitempty"`            // the message body as sent (a string in published samples)
}

// ApacheRocketMQEvents is a batch of Apache RocketMQ messages.
type ApacheRocketMQEvents []ApacheRocketMQEvent

// UnmarshalJSON implements json.Unmarshaler: an array or a single object.
func (b *ApacheRocketMQEvents) UnmarshalJSON(data []byte) error {
	v, err := unmarshalBatch[ApacheRocketMQEvent](data, "ApacheRocketMQEvents")
	*b = v
	return err
}

// RabbitMQEvent is one message from an ApsaraMQ for RabbitMQ trigger.
type RabbitMQEvent struct {
	CloudEventAttributes
	Data RabbitMQMessage `json:"data"` // the queue message
}

// RabbitMQMessage is the data of a [RabbitMQEvent].
type RabbitMQMessage struct {
	Envelope RabbitMQEnvelope   `json:"envelope"` // how the message was delivered
	Props    RabbitMQProperties `json:"props"`    // the message's AMQP properties
	// Body is the message: a JSON object when the message was JSON, a
	// string otherwise (both published).
	Body Body `json:"body,omitempty"`
}

// RabbitMQEnvelope is the AMQP delivery information of a message.
type RabbitMQEnvelope struct {
	DeliveryTag Int64  `json:"deliveryTag"` // the channel's sequence number of this delivery
	Exchange    string `json:"exchange"`    // "" for the default exchange
	Redeliver   bool   `json:"redeliver"`   // true when the message was delivered before and not acknowledged
	RoutingKey  string `json:"routingKey"`  // the routing key the message was published with
}

// RabbitMQProperties are the AMQP basic properties of a message; absent
// ones are zero.
type RabbitMQProperties struct {
	ContentType     string          `json:"contentType,omitempty"`     // media type of Body, e.g. "application/json"
	ContentEncoding string          `json:"contentEncoding,omitempty"` // encoding of Body, e.g. "UTF-8"
	Headers         map[string]Body `json:"headers,omitzero"`          // the AMQP header table, each value as sent (any JSON)
	DeliveryMode    Int64           `json:"deliveryMode,omitempty"`    // 1 non-persistent, 2 persistent
	Priority        Int64           `json:"priority,omitempty"`        // the message priority; 0 when unset
	CorrelationID   string          `json:"correlationId,omitempty"`   // links a reply to its request
	ReplyTo         string          `json:"replyTo,omitempty"`         // the queue to send a reply to
	Expiration      string          `json:"expiration,omitempty"`      // the message's time to live in milliseconds, as text (e.g. "60000")
	MessageID       string          `json:"messageId,omitempty"`       // the producer's id of the message, e.g. a UUID
	Type            string          `json:"type,omitempty"`            // an application-defined message type
	UserID          string          `json:"userId,omitempty"`          // the user of the publishing connection
	AppID           string          `json:"appId,omitempty"`           // the producing application
	ClusterID       string          `json:"clusterId,omitempty"`       // deprecated in AMQP 0-9-1; usually empty
}

// RabbitMQEvents is a batch of RabbitMQ messages.
type RabbitMQEvents []RabbitMQEvent

// UnmarshalJSON implements json.Unmarshaler: an array or a single object.
func (b *RabbitMQEvents) UnmarshalJSON(data []byte) error {
	v, err := unmarshalBatch[RabbitMQEvent](data, "RabbitMQEvents")
	*b = v
	return err
}

// KafkaEvent is one message from an ApsaraMQ for Kafka trigger.
type KafkaEvent struct {
	CloudEventAttributes
	Data KafkaMessage `json:"data"` // the Kafka record
}

// KafkaMessage is the data of a [KafkaEvent].
type KafkaMessage struct {
	Topic     string       `json:"topic"`              // the topic the record was read from
	Partition Int64        `json:"partition"`          // the partition of Topic
	Offset    Int64        `json:"offset"`             // the record's offset in Partition
	Timestamp UnixMilli    `json:"timestamp,omitzero"` // the record's timestamp, sent as epoch milliseconds
	Headers   KafkaHeaders `json:"headers"`            // the record's headers
	Key       Body         `json:"key,omitempty"`      // absent when the record has no key
	Value     Body         `json:"value,omitempty"`    // the record's value as sent (a string in published samples)
}

// KafkaHeaders are a record's headers as the trigger serializes them.
type KafkaHeaders struct {
	Headers    []Body `json:"headers"`    // each header as sent (any JSON)
	IsReadOnly bool   `json:"isReadOnly"` // the Java client's read-only flag of the header list; false in published samples
}

// KafkaEvents is a batch of Kafka messages.
type KafkaEvents []KafkaEvent

// UnmarshalJSON implements json.Unmarshaler: an array, a single object, or
// an array of JSON strings each holding one record.
func (b *KafkaEvents) UnmarshalJSON(data []byte) error {
	v, err := unmarshalBatch[KafkaEvent](data, "KafkaEvents")
	*b = v
	return err
}

// MQTTEvent is one message from an ApsaraMQ for MQTT (MQ for IoT) trigger.
type MQTTEvent struct {
	Props MQTTProperties `json:"props"`          // the topics and sending client
	Body  Body           `json:"body,omitempty"` // the message payload as sent
}

// MQTTProperties are the topic and client of an [MQTTEvent].
type MQTTProperties struct {
	FirstTopic  string `json:"firstTopic"`  // the parent topic
	SecondTopic string `json:"secondTopic"` // the subtopic, e.g. "/devices/1"
	ClientID    string `json:"clientId"`    // the sending client, "<group>@@@<device>"
}

// MQTTEvents is a batch of MQTT messages.
type MQTTEvents []MQTTEvent

// UnmarshalJSON implements json.Unmarshaler: an array or a single object.
func (b *MQTTEvents) UnmarshalJSON(data []byte) error {
	v, err := unmarshalBatch[MQTTEvent](data, "MQTTEvents")
	*b = v
	return err
}

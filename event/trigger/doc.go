// Package trigger has typed payloads of the Alibaba Cloud services that
// trigger event functions, to use as the input of event.JSON:
//
//	fcserver.WithEvent(event.JSON(func(ctx context.Context, e trigger.OSSEvent) (Out, error) {
//		for _, r := range e.Events {
//			key, err := r.OSS.Object.DecodedKey() // the key as the OSS SDK wants it
//			…
//		}
//	}))
//
// Every type decodes each form FC's documentation and Alibaba's published
// samples show, including those the official go1-runtime SDK's types fail
// on, and encodes back (json.Marshal) to a document that decodes to an
// equal value.
//
// # Triggers
//
//	trigger                         type                       notes
//	OSS                             OSSEvent                   OSSObject.DecodedKey: keys arrive URL-encoded
//	timer                           TimerEvent
//	Simple Log Service (SLS)        SLSEvent                   cursorTime in epoch seconds; Parameter raw JSON
//	CDN                             CDNEvent                   CDNEventParameter: every event's parameters, typed
//	MNS (SMQ) topic                 MNSTopicEvent              JSON and STREAM formats; STREAM may not be JSON
//	MNS (SMQ) queue                 MNSQueueEvents             batch of MNSQueueEvent; Body.Base64 for encoded bodies
//	ApsaraMQ for RocketMQ           RocketMQEvents             batch of RocketMQEvent
//	Apache RocketMQ (self-managed)  ApacheRocketMQEvents       batch of ApacheRocketMQEvent
//	ApsaraMQ for RabbitMQ           RabbitMQEvents             batch of RabbitMQEvent; body object or string
//	ApsaraMQ for Kafka              KafkaEvents                batch of KafkaEvent
//	ApsaraMQ for MQTT               MQTTEvents                 batch of MQTTEvent
//	EventBridge (service events)    CloudEvent                 Data kept raw for the caller to decode
//	API Gateway                     APIGatewayRequest          answer with APIGatewayResponse
//	HTTP trigger (built-in runtime) HTTPTriggerRequest         answer with HTTPTriggerResponse
//	Tablestore                      tablestore.Event           CBOR; in package event/trigger/tablestore
//
// # What the decoders survive
//
//   - A batch trigger sends a JSON array of records, but a single object
//     for the same trigger is published too (MNS queue, RocketMQ, Kafka),
//     and the official Go SDK's Kafka sample is an array of JSON strings
//     each holding a record: every batch type (KafkaEvents …) accepts all
//     three and encodes as an array.
//   - Numbers where strings are documented (RocketMQ's CONSUME_START_TIME
//     in a string map, account ids): [String] keeps the number's exact text.
//     Strings where numbers are expected (the HTTP trigger's timeEpoch):
//     [Int64], [UnixMilli] and [UnixSeconds] accept either. Integers are
//     parsed from their text, never through float64, so values above 2^53
//     stay exact.
//   - Times: [Time] takes RFC 3339 with or without fractional seconds or
//     zone, and EventBridge's "PRC" suffix ("2020-11-19T21:04:42.179PRC",
//     China Standard Time); epoch milliseconds (MNS PublishTime, Kafka
//     timestamp) and seconds (SLS cursorTime, CDN times) are [UnixMilli] and
//     [UnixSeconds]. All are time.Time underneath.
//   - Bodies: [Body] holds any JSON value (RabbitMQ sends an object in one
//     sample and a string in another), with String, Base64 (MNS queues may
//     encode messages) and Decode (JSON as a value or inside a string).
//   - MNS topic STREAM messages without attributes are the raw message, not
//     JSON: [MNSTopicEvent] implements event.PayloadUnmarshaler, so
//     event.JSON hands it the payload before any JSON check.
//   - Header maps keep the sender's case: [Headers.Get] matches names
//     case-insensitively.
//   - Request bodies flagged isBase64Encoded: DecodedBody; responses:
//     NewAPIGatewayResponse and NewHTTPTriggerResponse base64-encode bodies
//     that are not UTF-8 text.
//
// Published samples that are not valid JSON (trailing commas) or are type
// templates ("Timestamp": "int64") are rejected with the decoder's error,
// which names the problem.
//
// Decoded values own their memory (nothing aliases the payload) and may be
// kept after the handler returns. The types have no shared state and are
// safe to use from several goroutines once decoded.
//
// Event formats: https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/formats-of-event-for-different-triggers
package trigger

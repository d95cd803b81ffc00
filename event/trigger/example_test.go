package trigger_test

import (
	"context"
	"fmt"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger"
)

func ExampleOSSEvent() {
	h := event.JSON(func(ctx context.Context, e trigger.OSSEvent) ([]string, error) {
		var keys []string
		for _, r := range e.Events {
			key, err := r.OSS.Object.DecodedKey() // the key as the OSS SDK wants it
			if err != nil {
				return nil, err
			}
			keys = append(keys, fmt.Sprintf("%s %s/%s (%d bytes)", r.EventName, r.OSS.Bucket.Name, key, r.OSS.Object.Size))
		}
		return keys, nil
	})
	out, _ := h.Invoke(context.Background(), []byte(`{"events": [{
		"eventName": "ObjectCreated:PutObject",
		"eventTime": "2022-08-13T06:45:43.000Z",
		"oss": {"bucket": {"name": "photos"}, "object": {"key": "2024/my%20cat.jpg", "size": 122539}}
	}]}`))
	fmt.Println(string(out))
	// Output:
	// ["ObjectCreated:PutObject photos/2024/my cat.jpg (122539 bytes)"]
}

func ExampleKafkaEvents() {
	h := event.JSONIn(func(ctx context.Context, batch trigger.KafkaEvents) error {
		for _, e := range batch {
			m := e.Data
			fmt.Printf("%s[%d]@%d %s=%s at %s\n", m.Topic, m.Partition, m.Offset, m.Key, m.Value, m.Timestamp.Format("15:04:05.000"))
		}
		return nil
	})
	// A single record object is accepted as a batch of one.
	_, _ = h.Invoke(context.Background(), []byte(`{
		"specversion": "1.0", "type": "alikafka:Topic:Message",
		"data": {"topic": "orders", "partition": 7, "offset": 25, "timestamp": 1655952591589,
		         "key": "o-1", "value": "{\"items\":3}"}
	}`))
	// Output:
	// orders[7]@25 o-1={"items":3} at 02:49:51.589
}

func ExampleMNSTopicEvent() {
	h := event.JSON(func(ctx context.Context, e trigger.MNSTopicEvent) (string, error) {
		return e.Format + ": " + e.Message, nil
	})
	for _, payload := range []string{
		`{"TopicName": "t", "Message": "hello topic", "PublishTime": 1550216480040}`, // JSON format
		`hello topic`, // STREAM format: the raw message, not JSON
	} {
		out, _ := h.Invoke(context.Background(), []byte(payload))
		fmt.Println(string(out))
	}
	// Output:
	// "JSON: hello topic"
	// "STREAM: hello topic"
}

func ExampleNewAPIGatewayResponse() {
	h := event.JSON(func(ctx context.Context, r trigger.APIGatewayRequest) (trigger.APIGatewayResponse, error) {
		body, err := r.DecodedBody()
		if err != nil {
			return trigger.APIGatewayResponse{}, err
		}
		return trigger.NewAPIGatewayResponse(200, map[string]string{"Content-Type": r.Headers.Get("content-type")}, body), nil
	})
	out, _ := h.Invoke(context.Background(), []byte(`{"httpMethod": "POST", "path": "/echo",
		"headers": {"Content-Type": "application/json"}, "body": "eyJjIjoiYiJ9", "isBase64Encoded": true}`))
	fmt.Println(string(out))
	// Output:
	// {"isBase64Encoded":false,"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"c\":\"b\"}"}
}

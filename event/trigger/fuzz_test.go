package trigger_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fcgo/fcgo/event/trigger"
)

// fuzzDecoder checks that no payload makes T's decoder panic, and that
// whatever decodes also encodes and decodes again. Every sample seeds it.
func fuzzDecoder[T any](f *testing.F, use func(T)) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	more, _ := filepath.Glob(filepath.Join("testdata", "unusable-as-published", "*.json"))
	for _, name := range append(files, more...) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"Message":1,"PublishTime":"x"}`))
	f.Add([]byte(`["{\"data\":{\"partition\":\"7\"}}"]`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		v, err := invoke[T](payload)
		if err != nil {
			return
		}
		use(v)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("decoded %q but cannot encode %#v: %v", payload, v, err)
		}
		if _, err := invoke[T](b); err != nil {
			t.Fatalf("decoded %q, encoded %s, which does not decode: %v", payload, b, err)
		}
	})
}

func useBody(b trigger.Body) {
	_ = b.String()
	_, _ = b.Base64()
	var v any
	_ = b.Decode(&v)
}

func FuzzOSSEvent(f *testing.F) {
	fuzzDecoder(f, func(e trigger.OSSEvent) {
		for _, r := range e.Events {
			_, _ = r.OSS.Object.DecodedKey()
		}
	})
}

func FuzzTimerEvent(f *testing.F) { fuzzDecoder(f, func(trigger.TimerEvent) {}) }

func FuzzSLSEvent(f *testing.F) { fuzzDecoder(f, func(trigger.SLSEvent) {}) }

func FuzzCDNEvent(f *testing.F) { fuzzDecoder(f, func(trigger.CDNEvent) {}) }

func FuzzMNSTopicEvent(f *testing.F) { fuzzDecoder(f, func(trigger.MNSTopicEvent) {}) }

func FuzzMNSQueueEvents(f *testing.F) {
	fuzzDecoder(f, func(b trigger.MNSQueueEvents) {
		for _, e := range b {
			useBody(e.Data.MessageBody)
		}
	})
}

func FuzzRocketMQEvents(f *testing.F) {
	fuzzDecoder(f, func(b trigger.RocketMQEvents) {
		for _, e := range b {
			useBody(e.Data.Body)
		}
	})
}

func FuzzApacheRocketMQEvents(f *testing.F) {
	fuzzDecoder(f, func(b trigger.ApacheRocketMQEvents) {
		for _, e := range b {
			useBody(e.Body)
		}
	})
}

func FuzzRabbitMQEvents(f *testing.F) {
	fuzzDecoder(f, func(b trigger.RabbitMQEvents) {
		for _, e := range b {
			useBody(e.Data.Body)
		}
	})
}

func FuzzKafkaEvents(f *testing.F) {
	fuzzDecoder(f, func(b trigger.KafkaEvents) {
		for _, e := range b {
			useBody(e.Data.Key)
			useBody(e.Data.Value)
		}
	})
}

func FuzzMQTTEvents(f *testing.F) {
	fuzzDecoder(f, func(b trigger.MQTTEvents) {
		for _, e := range b {
			useBody(e.Body)
		}
	})
}

func FuzzCloudEvent(f *testing.F) { fuzzDecoder(f, func(trigger.CloudEvent) {}) }

func FuzzAPIGatewayRequest(f *testing.F) {
	fuzzDecoder(f, func(r trigger.APIGatewayRequest) {
		_, _ = r.DecodedBody()
		_ = r.Headers.Get("content-type")
	})
}

func FuzzHTTPTriggerRequest(f *testing.F) {
	fuzzDecoder(f, func(r trigger.HTTPTriggerRequest) {
		_, _ = r.DecodedBody()
		_ = r.Headers.Get("content-type")
	})
}

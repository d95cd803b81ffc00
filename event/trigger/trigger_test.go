package trigger_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// decode decodes a sample the way a function receives it, through
// event.JSON, and checks that it survives an encode/decode round trip.
func decode[T any](t *testing.T, name string) T {
	t.Helper()
	got, err := invoke[T](load(t, name))
	require.NoError(t, err, name)
	roundTrip(t, got)
	return got
}

func invoke[T any](payload []byte) (T, error) {
	var got T
	h := event.JSON(func(_ context.Context, in T) (struct{}, error) {
		got = in
		return struct{}{}, nil
	})
	_, err := h.Invoke(context.Background(), payload)
	return got, err
}

// roundTrip checks decode(encode(v)) == v.
func roundTrip[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	again, err := invoke[T](b)
	require.NoError(t, err, "re-decoding %s", b)
	assert.Equal(t, v, again, "round trip through %s", b)
}

// rfc formats a decoded time for comparison: instant and offset.
func rfc(t time.Time) string { return t.Format(time.RFC3339Nano) }

func TestOSS(t *testing.T) {
	e := decode[trigger.OSSEvent](t, "oss.json")
	require.Len(t, e.Events, 1)
	r := e.Events[0]
	assert.Equal(t, "ObjectCreated:PutObject", r.EventName)
	assert.Equal(t, "acs:oss", r.EventSource)
	assert.Equal(t, "2022-08-13T06:45:43Z", rfc(r.EventTime.Time))
	assert.Equal(t, "cn-hangzhou", r.Region)
	assert.Equal(t, "testbucket", r.OSS.Bucket.Name)
	assert.Equal(t, "acs:oss:cn-hangzhou:123456789:testbucket", r.OSS.Bucket.ARN)
	assert.Equal(t, trigger.String("164901546557****"), r.OSS.Bucket.OwnerIdentity)
	assert.Equal(t, "source/a.png", r.OSS.Object.Key)
	key, err := r.OSS.Object.DecodedKey()
	require.NoError(t, err)
	assert.Equal(t, "source/a.png", key)
	assert.Equal(t, trigger.Int64(122539), r.OSS.Object.Size)
	assert.Equal(t, trigger.Int64(122539), r.OSS.Object.DeltaSize)
	assert.Equal(t, "688A7BF4F233DC9C88A80BF985AB****", r.OSS.Object.ETag)
	assert.Equal(t, "application/zip", r.OSS.Object.ObjectMeta.MimeType)
	assert.Equal(t, map[string]trigger.String{"x-oss-meta-last-modified": "20250213"}, r.OSS.Object.ObjectMeta.UserMeta)
	assert.Equal(t, "9adac8e253828f4f7c0466d941fa3db81161****", r.OSS.RuleID)
	assert.Equal(t, "140.205.XX.XX", r.RequestParameters.SourceIPAddress)
	assert.Equal(t, "58F9FF2D3DF792092E12044C", r.ResponseElements.RequestID)
	assert.Equal(t, trigger.String("164901546557****"), r.UserIdentity.PrincipalID)

	for _, tc := range []struct {
		file, name, bucket, key, mime, time string
		size, delta                         int64
	}{
		{"oss.awesome-fc-postobject.json", "ObjectCreated:PostObject", "xxxx", "source/greyPOP.jpg", "image/jpg", "2022-07-26T03:07:18Z", 7107, 0},
		{"oss.devsapp-fc-event.json", "ObjectCreated:PutObject", "testbucket", "image/a.jpg", "", "2017-04-21T12:46:37Z", 122539, 122539},
		{"oss.fc-runtime-go-sdk.json", "ObjectCreated:PutObject", "testbucket", "image/a.jpg", "image/jpeg", "2022-06-10T06:21:35Z", 29203, 29203},
	} {
		e := decode[trigger.OSSEvent](t, tc.file)
		require.Len(t, e.Events, 1, tc.file)
		r := e.Events[0]
		assert.Equal(t, tc.name, r.EventName, tc.file)
		assert.Equal(t, tc.bucket, r.OSS.Bucket.Name, tc.file)
		assert.Equal(t, tc.key, r.OSS.Object.Key, tc.file)
		assert.Equal(t, tc.mime, r.OSS.Object.ObjectMeta.MimeType, tc.file)
		assert.Equal(t, tc.time, rfc(r.EventTime.Time), tc.file)
		assert.Equal(t, trigger.Int64(tc.size), r.OSS.Object.Size, tc.file)
		assert.Equal(t, trigger.Int64(tc.delta), r.OSS.Object.DeltaSize, tc.file)
	}
}

func TestOSSDecodedKey(t *testing.T) {
	for key, want := range map[string]string{
		"source/a.png":                     "source/a.png",
		"photos/my%20cat.jpg":              "photos/my cat.jpg",
		"photos/my+cat.jpg":                "photos/my cat.jpg",
		"a%2Bb.txt":                        "a+b.txt",
		"%E4%B8%AD%E6%96%87/%E5%9B%BE.png": "中文/图.png",
	} {
		got, err := trigger.OSSObject{Key: key}.DecodedKey()
		require.NoError(t, err, key)
		assert.Equal(t, want, got, key)
	}
	_, err := trigger.OSSObject{Key: "bad%zzkey"}.DecodedKey()
	assert.ErrorContains(t, err, `OSS object key "bad%zzkey" is not URL-encoded`)
}

func TestTimer(t *testing.T) {
	e := decode[trigger.TimerEvent](t, "timer.json")
	assert.Equal(t, "2023-12-26T07:49:00Z", rfc(e.TriggerTime.Time))
	assert.Equal(t, "timer-trigger", e.TriggerName)
	assert.Equal(t, "awesome-fc", e.Payload)

	e = decode[trigger.TimerEvent](t, "timer.fc-runtime-go-sdk.json")
	assert.Equal(t, "2022-07-29T10:02:58Z", rfc(e.TriggerTime.Time))
	assert.Equal(t, "TestTimer", e.TriggerName)
	assert.Equal(t, "TestPayload", e.Payload)
}

func TestSLS(t *testing.T) {
	for _, tc := range []struct {
		file, project, logstore, endpoint, begin, job string
		cursor                                        int64
	}{
		{"sls.json", "fc-test-project", "fc-test-logstore", "http://cn-hangzhou-intranet.log.aliyuncs.com", "MTUyOTQ4MDIwOTY1NTk3ODQ2Mw==", "1f7043ced683de1a4e3d8d70b5a412843d81****", 1529486425},
		{"sls.devsapp-fc-event.json", "log-com", "log-en", "http://cn-shanghai-intranet.log.aliyuncs.com", "MTUyOTQ4MDIwOTY1NTk3ODQ2Mw==", "1f7043ced683de1a4e3d8d70b5a412843d817a39", 1529486425},
		{"sls.fc-runtime-go-sdk.json", "aliyun-fc-cn-shenzhen-3a8b13243-b031-5b64-abd3-5b54********", "function-log", "http://cn-shenzhen-intranet.log.aliyuncs.com", "MTY1NDUzOTMyNjA5GFH1MzYyNf==", "39955366992fd7a0ee85a9e1ecba042a5c737682", 1655645277},
	} {
		e := decode[trigger.SLSEvent](t, tc.file)
		assert.Equal(t, tc.project, e.Source.ProjectName, tc.file)
		assert.Equal(t, tc.logstore, e.Source.LogstoreName, tc.file)
		assert.Equal(t, tc.endpoint, e.Source.Endpoint, tc.file)
		assert.Equal(t, tc.begin, e.Source.BeginCursor, tc.file)
		assert.Equal(t, trigger.Int64(0), e.Source.ShardID, tc.file)
		assert.Equal(t, tc.job, e.JobName, tc.file)
		assert.Equal(t, tc.cursor, e.CursorTime.Unix(), tc.file)
		assert.Equal(t, json.RawMessage(`{}`), e.Parameter, tc.file)
	}
	e := decode[trigger.SLSEvent](t, "sls.json")
	assert.Equal(t, "2018-06-20T09:20:25Z", rfc(e.CursorTime.Time))
	assert.Equal(t, "MTUyOTQ4MDIwOTY1NTk3ODQ2NA==", e.Source.EndCursor)
	assert.Equal(t, "c2691505-38da-4d1b-998a-f1d4bb8c****", e.TaskID)
}

func TestCDN(t *testing.T) {
	e := decode[trigger.CDNEvent](t, "cdn-cachedobjectsrefreshed.json")
	require.Len(t, e.Events, 1)
	r := e.Events[0]
	assert.Equal(t, trigger.CDNCachedObjectsRefreshed, r.EventName)
	assert.Equal(t, "cdn", r.EventSource)
	assert.Equal(t, "2018-03-16T14:19:55+08:00", rfc(r.EventTime.Time))
	assert.Equal(t, "example.com", r.Resource.Domain)
	assert.Equal(t, trigger.String("164901546557****"), r.UserIdentity.AliUID)
	p := r.EventParameter
	assert.Equal(t, []string{"/2018/03/16/13/33b430c57e7.mp4", "/2018/03/16/14/4ff6b9bd54d.mp4"}, p.ObjectPath)
	assert.Equal(t, "File", p.ObjectType)
	assert.Equal(t, trigger.Int64(2089687230), p.TaskID)
	assert.Equal(t, int64(1521180769), p.CreateTime.Unix())
	assert.Equal(t, int64(1521180777), p.CompleteTime.Unix())
	assert.Equal(t, "example.com", p.Domain)

	e = decode[trigger.CDNEvent](t, "cdn-logfilecreated.json")
	require.Len(t, e.Events, 1)
	p = e.Events[0].EventParameter
	assert.Equal(t, trigger.CDNLogFileCreated, e.Events[0].EventName)
	assert.Equal(t, "2018-06-14T15:31:49+08:00", rfc(e.Events[0].EventTime.Time))
	assert.Equal(t, trigger.Int64(1788115), p.FileSize)
	assert.Equal(t, "2018-06-14T07:00:00Z", rfc(p.StartTime.Time))
	assert.Equal(t, "2018-06-14T07:05:00Z", rfc(p.EndTime.Time))
	assert.Equal(t, "http://cdnlog.cn-hangzhou.oss.aliyun-inc.com/www.aliyun.com/2017_12_27/www.aliyun.com_2017_12_27_0800_0900.gz?OSSAccessKeyId=xxxx&Expires=xxxx&Signature=xxxx", p.FilePath)

	e = decode[trigger.CDNEvent](t, "cdn-cdndomainstarted.json")
	assert.Equal(t, trigger.CDNDomainStarted, e.Events[0].EventName)
	assert.Equal(t, trigger.CDNEventParameter{Domain: "example.com", Status: "online"}, e.Events[0].EventParameter)

	e = decode[trigger.CDNEvent](t, "cdn-cdndomainadded.json")
	assert.Equal(t, trigger.CDNDomainAdded, e.Events[0].EventName)
	assert.Equal(t, trigger.CDNEventParameter{Domain: "example.com"}, e.Events[0].EventParameter)
}

func TestMNSTopic(t *testing.T) {
	e := decode[trigger.MNSTopicEvent](t, "mns-topic-json.json")
	assert.Equal(t, trigger.MNSTopicEvent{
		Format:           trigger.MNSTopicJSON,
		Message:          "hello topic",
		TopicOwner:       "118620210433****",
		TopicName:        "Mytopic",
		Subscriber:       "118620210433****",
		SubscriptionName: "test-fc-subscribe",
		MessageID:        "2F5B3C082B923D4EAC694B76D928****",
		MessageMD5:       "BA4BA9B48AC81F0F9C66F6C909C3****",
		PublishTime:      trigger.UnixMilli{Time: time.UnixMilli(1550216480040).UTC()},
	}, e)
	assert.Equal(t, "2019-02-15T07:41:20.04Z", rfc(e.PublishTime.Time))

	e = decode[trigger.MNSTopicEvent](t, "mns-topic-json-with-attributes.json")
	assert.Equal(t, trigger.MNSTopicJSON, e.Format)
	assert.Equal(t, "hello topic", e.Message)
	assert.Equal(t, map[string]trigger.String{"key": "value"}, e.Attributes)
	assert.Equal(t, int64(1550216302888), e.PublishTime.UnixMilli())

	e = decode[trigger.MNSTopicEvent](t, "mns-topic-json.fc-runtime-go-sdk.json")
	assert.Equal(t, "mock mns message", e.Message)
	assert.Equal(t, "fc-example", e.TopicName)
	assert.Equal(t, trigger.String("topic account id"), e.TopicOwner)
	assert.Equal(t, int64(1658235558094), e.PublishTime.UnixMilli())

	e = decode[trigger.MNSTopicEvent](t, "mns-topic-stream-with-attributes.json")
	assert.Equal(t, trigger.MNSTopicEvent{
		Format:     trigger.MNSTopicStream,
		Message:    "hello topic",
		Attributes: map[string]trigger.String{"Extend": `{"key":"value"}`},
	}, e)

	// Not JSON at all: event.JSON hands it to UnmarshalPayload as it is.
	e = decode[trigger.MNSTopicEvent](t, "mns-topic-stream-without-attributes.txt")
	assert.Equal(t, trigger.MNSTopicEvent{Format: trigger.MNSTopicStream, Message: "hello topic"}, e)

	for payload, want := range map[string]string{
		"line one\nline two\n": "line one\nline two\n",
		`[1,2]`:                `[1,2]`,
		`"quoted"`:             `"quoted"`,
		`{"other":"json"}`:     `{"other":"json"}`,
		"  {\"a\":1}\n":        "  {\"a\":1}\n", // kept byte for byte, whitespace included
		"{not json":            "{not json",
		"":                     "",
	} {
		got, err := invoke[trigger.MNSTopicEvent]([]byte(payload))
		require.NoError(t, err, payload)
		assert.Equal(t, trigger.MNSTopicEvent{Format: trigger.MNSTopicStream, Message: want}, got, payload)
		roundTrip(t, got)
	}

	// A pointer input decodes the same way.
	p, err := invoke[*trigger.MNSTopicEvent]([]byte("hello topic"))
	require.NoError(t, err)
	require.NotNil(t, p)
	assert.Equal(t, trigger.MNSTopicEvent{Format: trigger.MNSTopicStream, Message: "hello topic"}, *p)
}

func TestMNSQueue(t *testing.T) {
	b := decode[trigger.MNSQueueEvents](t, "mns-queue.json")
	require.Len(t, b, 2)
	assert.Equal(t, "c2g71017-6f65-fhcf-a814-a396fc8d****", b[0].ID)
	assert.Equal(t, "d2g71017-6f65-fhcf-a814-a396fc8d****", b[1].ID)
	r := b[0]
	assert.Equal(t, "mns:Queue:SendMessage", r.Type)
	assert.Equal(t, "MNS-Function-mnstrigger", r.Source)
	assert.Equal(t, "1.0", r.SpecVersion)
	assert.Equal(t, "acs:mns:cn-hangzhou:164901546557****:queues/zeus", r.Subject)
	assert.Equal(t, "2021-04-08T06:28:17.093Z", rfc(r.Time.Time))
	assert.Equal(t, "2021-10-15T07:06:34.028Z", rfc(r.AliyunPublishTime.Time))
	assert.Equal(t, trigger.String("164901546557****"), r.AliyunAccountID)
	assert.Equal(t, "cn-chengdu", r.AliyunRegionID)
	assert.Equal(t, "606EA3074344430D4C81****", r.Data.RequestID)
	assert.Equal(t, "C6DB60D1574661357FA227277445****", r.Data.MessageID)
	assert.Equal(t, "TEST", r.Data.MessageBody.String())

	b = decode[trigger.MNSQueueEvents](t, "mns-queue.fc-runtime-go-sdk-single.json")
	require.Len(t, b, 1)
	assert.Equal(t, "TEST", b[0].Data.MessageBody.String())
	assert.Equal(t, trigger.String("1649015465574023"), b[0].AliyunAccountID)

	b = decode[trigger.MNSQueueEvents](t, "mns-queue.awesome-fc-java11.json")
	require.Len(t, b, 1)
	assert.Equal(t, "2022-07-22T06:34:27.9Z", rfc(b[0].Time.Time))
	body, err := b[0].Data.MessageBody.Base64()
	require.NoError(t, err)
	assert.Equal(t, "mock mns queue message", string(body))
}

func TestRocketMQ(t *testing.T) {
	for _, tc := range []struct {
		file string
		n    int
	}{{"rocketmq.json", 2}, {"rocketmq.fc-runtime-go-sdk-single.json", 1}} {
		b := decode[trigger.RocketMQEvents](t, tc.file)
		require.Len(t, b, tc.n, tc.file)
		r := b[0]
		assert.Equal(t, "mq:Topic:SendMessage", r.Type)
		assert.Equal(t, "TopicName", r.Data.Topic)
		assert.Equal(t, "TEST", r.Data.Body.String())
		// A number in a string map, kept exact.
		assert.Equal(t, trigger.String("1628577790396"), r.Data.SystemProperties["CONSUME_START_TIME"])
		assert.Equal(t, trigger.String("systemProperties.TAGS"), r.Data.SystemProperties["TAGS"])
		assert.Equal(t, trigger.String("8"), r.Data.SystemProperties["MAX_OFFSET"])
		assert.Len(t, r.Data.SystemProperties, 8)
		assert.Equal(t, trigger.Properties{}, r.Data.UserProperties)
		assert.Equal(t, "2021-10-15T02:05:16.791Z", rfc(r.AliyunPublishTime.Time))
	}
}

func TestApacheRocketMQ(t *testing.T) {
	b := decode[trigger.ApacheRocketMQEvents](t, "apache-rocketmq.json")
	require.Len(t, b, 1)
	assert.Equal(t, "7F0000010BDD2A84AEE70DA49B57****", b[0].MsgID)
	assert.Equal(t, "testTopic", b[0].Topic)
	assert.Equal(t, "Hello RocketMQ", b[0].Body.String())
	assert.Equal(t, trigger.String("TagA"), b[0].SystemProperties["TAGS"])
	assert.Equal(t, trigger.String("DefaultCluster"), b[0].SystemProperties["CLUSTER"])
}

func TestRabbitMQ(t *testing.T) {
	b := decode[trigger.RabbitMQEvents](t, "rabbitmq.json")
	require.Len(t, b, 2)
	d := b[0].Data
	assert.Equal(t, trigger.Int64(98), d.Envelope.DeliveryTag)
	assert.Equal(t, "housekeeping", d.Envelope.RoutingKey)
	assert.Equal(t, "", d.Envelope.Exchange)
	assert.False(t, d.Envelope.Redeliver)
	assert.Equal(t, "UTF-8", d.Props.ContentEncoding)
	assert.Equal(t, "f7622d51-e198-41de-a072-77c1ead7****", d.Props.MessageID)
	// The body is a JSON object here.
	assert.False(t, d.Body.IsString())
	assert.Equal(t, `{"Hello":"RabbitMQ"}`, d.Body.String())
	var hello struct{ Hello string }
	require.NoError(t, d.Body.Decode(&hello))
	assert.Equal(t, "RabbitMQ", hello.Hello)

	b = decode[trigger.RabbitMQEvents](t, "rabbitmq.awesome-fc-golang.json")
	require.Len(t, b, 1)
	d = b[0].Data
	// … and a string here.
	assert.True(t, d.Body.IsString())
	assert.Equal(t, "消息发送Body010", d.Body.String())
	assert.Equal(t, trigger.Int64(2), d.Envelope.DeliveryTag)
	assert.Equal(t, "test-exchange", d.Envelope.Exchange)
	assert.Equal(t, "test-binding", d.Envelope.RoutingKey)
	assert.Equal(t, "application/json; charset=utf-8", b[0].DataContentType)
}

func TestKafka(t *testing.T) {
	b := decode[trigger.KafkaEvents](t, "kafka.json")
	require.Len(t, b, 2)
	m := b[1].Data
	assert.Equal(t, "****", m.Topic)
	assert.Equal(t, trigger.Int64(7), m.Partition)
	assert.Equal(t, trigger.Int64(25), m.Offset)
	assert.Equal(t, "2022-06-23T02:49:51.589Z", rfc(m.Timestamp.Time))
	assert.Equal(t, "keytest", m.Key.String())
	assert.Equal(t, "hello kafka msg", m.Value.String())
	assert.Equal(t, []trigger.Body{}, m.Headers.Headers)
	assert.False(t, m.Headers.IsReadOnly)
	assert.Equal(t, "alikafka:Topic:Message", b[1].Type)
	assert.Equal(t, "acs:alikafka_pre-cn-i7m2t7t1****:topic:mytopic", b[1].Subject)

	const value = "b'{\\n    \"Test\": \"TestKafkaEventBridgetrigger\"\\n}'"
	b = decode[trigger.KafkaEvents](t, "kafka.awesome-fc-golang.json")
	require.Len(t, b, 1)
	assert.Equal(t, "HelloTopic", b[0].Data.Topic)
	assert.Equal(t, trigger.Int64(9), b[0].Data.Partition)
	assert.Equal(t, int64(1659346376797), b[0].Data.Timestamp.UnixMilli())
	assert.Equal(t, value, b[0].Data.Value.String())
	assert.Nil(t, b[0].Data.Key)
	assert.Equal(t, trigger.String("1938858730552836"), b[0].AliyunAccountID)

	// An array of JSON strings, each holding a record.
	s := decode[trigger.KafkaEvents](t, "kafka.fc-runtime-go-sdk-string-array.json")
	require.Len(t, s, 1)
	assert.Equal(t, value, s[0].Data.Value.String())
	assert.Equal(t, trigger.String("111111111111"), s[0].AliyunAccountID)
	s[0].AliyunAccountID = b[0].AliyunAccountID
	assert.Equal(t, b, s, "the same record as the object form")
}

func TestMQTT(t *testing.T) {
	b := decode[trigger.MQTTEvents](t, "mqtt.json")
	require.Len(t, b, 1)
	assert.Equal(t, trigger.MQTTProperties{FirstTopic: "testTopic", SecondTopic: "/testMq4****", ClientID: "consumerGroupID@@@xxx"}, b[0].Props)
	assert.Equal(t, "hello mq4Iot pub sub msg", b[0].Body.String())
}

func TestCloudEvent(t *testing.T) {
	e := decode[trigger.CloudEvent](t, "eventbridge-ebs-cloudmonitor.json")
	assert.Equal(t, "acs.ebs", e.Source)
	assert.Equal(t, "ebs:Disk:DiskBPSExceedDiskMaxLimit", e.Type)
	assert.Equal(t, "acs.ebs:cn-hangzhou:123456789098****:215672", e.Subject)
	assert.Equal(t, "2020-11-19T21:04:41+08:00", rfc(e.Time.Time))
	assert.Equal(t, "2020-11-19T21:04:42Z", rfc(e.AliyunPublishTime.Time))
	assert.Equal(t, "default", e.AliyunEventBusName)
	var d struct {
		ResourceID      string `json:"resourceId"`
		StartTime       int64  `json:"startTime"`
		ExtraAttributes struct {
			TotalMinutes int `json:"TotalMinutes"`
		} `json:"extraAttributes"`
	}
	require.NoError(t, json.Unmarshal(e.Data, &d))
	assert.Equal(t, "d-2zef8thfnbx*****", d.ResourceID)
	assert.Equal(t, int64(1694507354000), d.StartTime)
	assert.Equal(t, 1390, d.ExtraAttributes.TotalMinutes)
	assert.True(t, json.Valid(e.Data))
	assert.NotContains(t, string(e.Data), "\n", "Data is compacted")

	// Every EventBridge-delivered record is a CloudEvent too.
	b, err := invoke[[]trigger.CloudEvent](load(t, "kafka.json"))
	require.NoError(t, err)
	require.Len(t, b, 2)
	assert.Contains(t, string(b[0].Data), `"value":"hello kafka msg"`)
}

func TestAPIGateway(t *testing.T) {
	r := decode[trigger.APIGatewayRequest](t, "apigateway.json")
	assert.Equal(t, "POST", r.HTTPMethod)
	assert.Equal(t, "/api/321", r.Path)
	assert.Equal(t, map[string]string{"userId": "321"}, r.PathParameters)
	assert.Equal(t, map[string]string{}, r.QueryParameters)
	assert.True(t, r.IsBase64Encoded)
	body, err := r.DecodedBody()
	require.NoError(t, err)
	assert.Equal(t, `{"c":"b"}`, string(body))
	assert.Equal(t, "application/json; charset=utf-8", r.Headers.Get("content-type"))
	assert.Equal(t, "RELEASE", r.Headers.Get("X-CA-STAGE"))
	assert.Equal(t, "Kry+hjKjc2lvIrwoJqdY9Q==", r.Headers.Get("Content-MD5"))
	assert.Equal(t, "", r.Headers.Get("X-Missing"))
	_, ok := r.Headers.Lookup("x-missing")
	assert.False(t, ok)

	r.Body = "not base64!"
	_, err = r.DecodedBody()
	assert.ErrorContains(t, err, "API Gateway request has isBase64Encoded set but its body is not base64")
	r.IsBase64Encoded = false
	body, err = r.DecodedBody()
	require.NoError(t, err)
	assert.Equal(t, "not base64!", string(body))
}

func TestAPIGatewayResponse(t *testing.T) {
	h := event.JSON(func(_ context.Context, r trigger.APIGatewayRequest) (trigger.APIGatewayResponse, error) {
		return trigger.NewAPIGatewayResponse(201, map[string]string{"Content-Type": "text/plain"}, []byte("hi "+r.PathParameters["userId"])), nil
	})
	out, err := h.Invoke(context.Background(), load(t, "apigateway.json"))
	require.NoError(t, err)
	assert.Equal(t, `{"isBase64Encoded":false,"statusCode":201,"headers":{"Content-Type":"text/plain"},"body":"hi 321"}`, string(out))

	png := []byte{0x89, 'P', 'N', 'G', 0, 0xff}
	resp := trigger.NewAPIGatewayResponse(200, nil, png)
	assert.Equal(t, trigger.APIGatewayResponse{IsBase64Encoded: true, StatusCode: 200, Body: "iVBORwD/"}, resp)
	got, err := resp.DecodedBody()
	require.NoError(t, err)
	assert.Equal(t, png, got)
	b, _ := json.Marshal(resp)
	assert.Equal(t, `{"isBase64Encoded":true,"statusCode":200,"body":"iVBORwD/"}`, string(b))

	resp = trigger.NewAPIGatewayBinaryResponse(200, nil, []byte("text"))
	assert.Equal(t, trigger.APIGatewayResponse{IsBase64Encoded: true, StatusCode: 200, Body: "dGV4dA=="}, resp)
}

func TestHTTPTrigger(t *testing.T) {
	r := decode[trigger.HTTPTriggerRequest](t, "http.json")
	assert.Equal(t, "v1", r.Version)
	assert.Equal(t, "/example", r.RawPath)
	assert.False(t, r.IsBase64Encoded)
	body, err := r.DecodedBody()
	require.NoError(t, err)
	assert.Equal(t, "Hello FC!", string(body))
	assert.Equal(t, "value1,value2", r.Headers.Get("Header2"))
	assert.Equal(t, "value1,value2", r.QueryParameters["parameter2"])
	c := r.RequestContext
	assert.Equal(t, trigger.String("123456*********"), c.AccountID)
	assert.Equal(t, "<http-trigger-id>.<region-id>.fcapp.run", c.DomainName)
	assert.Equal(t, "<http-trigger-id>", c.DomainPrefix)
	assert.Equal(t, trigger.HTTPDetails{Method: "GET", Path: "/example", Protocol: "HTTP/1.1", SourceIP: "11.11.11.**", UserAgent: "PostmanRuntime/7.32.3"}, c.HTTP)
	assert.Equal(t, "1-64f6cd87-*************", c.RequestID)
	assert.Equal(t, "2023-09-05T06:41:11Z", rfc(c.Time.Time))
	// timeEpoch is a string of milliseconds.
	assert.Equal(t, int64(1693896071895), c.TimeEpoch.UnixMilli())
	assert.Equal(t, "2023-09-05T06:41:11.895Z", rfc(c.TimeEpoch.Time))

	resp := trigger.NewHTTPTriggerResponse(404, map[string]string{"Content-Type": "application/json"}, []byte(`{"error":"no"}`))
	b, err := json.Marshal(resp)
	require.NoError(t, err)
	assert.Equal(t, `{"statusCode":404,"headers":{"Content-Type":"application/json"},"isBase64Encoded":false,"body":"{\"error\":\"no\"}"}`, string(b))
	resp = trigger.NewHTTPTriggerResponse(200, nil, []byte{0xff, 0xfe})
	assert.Equal(t, trigger.HTTPTriggerResponse{StatusCode: 200, IsBase64Encoded: true, Body: "//4="}, resp)
	got, err := resp.DecodedBody()
	require.NoError(t, err)
	assert.Equal(t, []byte{0xff, 0xfe}, got)
	assert.Equal(t, "aGk=", trigger.NewHTTPTriggerBinaryResponse(200, nil, []byte("hi")).Body)
}

// The published texts that are not JSON, or are a type template, fail with
// an error that names the defect.
func TestUnusableSamplesAreRejected(t *testing.T) {
	for _, name := range []string{"cdn-cdndomainadded.devsapp.json", "cdn-logfilecreated.devsapp.json"} {
		_, err := invoke[trigger.CDNEvent](load(t, "unusable-as-published/"+name))
		require.Error(t, err, name)
		r := event.ToResponse(err)
		assert.Equal(t, event.TypeInvalidPayload, r.ErrorType)
		// The trailing comma: a '}' where a member was expected.
		assert.Contains(t, r.ErrorMessage, "cannot decode payload into trigger.CDNEvent: invalid character '}' looking for beginning of object key string", name)
	}
}

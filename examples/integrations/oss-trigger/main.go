// Command oss-trigger is an event function for Function Compute triggered
// by OSS. For each object event it logs the bucket, the object key (decoded
// as the OSS SDK expects it), the size and the event name; for each created
// object it also reads the object with the OSS Go SDK v2, using the STS
// credentials FC sends with the request, and reports how many bytes it
// read, their SHA-256 and the first 16 bytes in hex:
//
//	{"objects":[{"bucket":"testbucket","key":"source/a.png","size":122539,"event":"ObjectCreated:PutObject",
//	  "read":{"bytes":122539,"sha256":"…","head":"89504e470d0a1a0a…"}}],"totalBytes":122539}
//
// Removed objects are listed but not read. Errors (each fails the
// invocation with its errorType): NoOSSRecords for an event with no
// records, InvalidObjectKey for a key that is not URL-encoded, NoCredentials
// when the function has no role, NoRegion when a record names no region,
// OSS.<Code> when OSS refuses (OSS.NoSuchKey, OSS.AccessDenied …) and
// OSSUnreachable when it cannot be reached, OSSError for other SDK errors.
//
// The SDK client is built per invocation from that invocation's credentials
// (they are temporary and FC sends fresh ones with every request); the
// HTTP client under it is shared, so connections to OSS are reused.
//
// Endpoint: the OSS internal endpoint of the record's region
// (oss-<region>-internal.aliyuncs.com, reachable from FC in that region and
// free of traffic charges), unless the environment variable OSS_ENDPOINT
// names another one, e.g. oss-cn-hangzhou.aliyuncs.com from outside Alibaba
// Cloud, or a local test server.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/transport"
	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/rs/zerolog"
)

// headBytes is how many leading bytes of an object the summary shows.
const headBytes = 16

// Object is one object in the summary.
type Object struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`  // decoded
	Size   int64  `json:"size"` // bytes, as the event reports it
	Event  string `json:"event"`
	Read   *Read  `json:"read,omitempty"` // nil for an object that was not read (removed ones)
}

// Read is what reading an object found.
type Read struct {
	Bytes  int64  `json:"bytes"`  // bytes read
	SHA256 string `json:"sha256"` // hex
	Head   string `json:"head"`   // the first bytes, hex
}

// Summary is the result.
type Summary struct {
	Objects    []Object `json:"objects"`
	TotalBytes int64    `json:"totalBytes"` // sum of the events' sizes
}

// function reads the objects of OSS events.
type function struct {
	// endpoint overrides the OSS endpoint; "" uses the internal endpoint
	// of each record's region.
	endpoint string
	// httpClient carries every OSS request, across invocations.
	httpClient *http.Client
}

func newFunction(endpoint string) *function {
	return &function{endpoint: endpoint, httpClient: transport.NewHttpClient(&transport.Config{})}
}

func (fn *function) handle(ctx context.Context, e trigger.OSSEvent) (Summary, error) {
	if len(e.Events) == 0 {
		return Summary{}, event.NewError("NoOSSRecords", `the OSS event has no records in "events": is this function's trigger an OSS trigger?`)
	}
	log := zerolog.Ctx(ctx)
	s := Summary{Objects: make([]Object, 0, len(e.Events))}
	for _, r := range e.Events {
		key, err := r.OSS.Object.DecodedKey()
		if err != nil {
			return Summary{}, event.Errorf("InvalidObjectKey", "record for bucket %q: %w", r.OSS.Bucket.Name, err)
		}
		o := Object{Bucket: r.OSS.Bucket.Name, Key: key, Size: int64(r.OSS.Object.Size), Event: r.EventName}
		log.Info().Str("bucket", o.Bucket).Str("key", o.Key).Int64("size", o.Size).Str("event", o.Event).Msg("object")
		if strings.HasPrefix(r.EventName, "ObjectCreated:") {
			if o.Read, err = fn.read(ctx, r, key); err != nil {
				return Summary{}, err
			}
			log.Info().Str("key", o.Key).Int64("bytes", o.Read.Bytes).Str("sha256", o.Read.SHA256).Msg("read")
		}
		s.Objects = append(s.Objects, o)
		s.TotalBytes += o.Size
	}
	return s, nil
}

// read reads the object of record r with the invocation's credentials.
func (fn *function) read(ctx context.Context, r trigger.OSSRecord, key string) (*Read, error) {
	info, ok := headers.FromContext(ctx)
	if !ok || info.Credentials.AccessKeyID == "" {
		return nil, event.NewError("NoCredentials",
			"FC sent no credentials with this request: give the function a role that may oss:GetObject on the bucket")
	}
	region := recordRegion(r)
	if region == "" {
		return nil, event.Errorf("NoRegion", "the record for oss://%s/%s names no region", r.OSS.Bucket.Name, key)
	}
	c := info.Credentials
	cfg := oss.LoadDefaultConfig().
		WithCredentialsProvider(credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.AccessKeySecret(), c.SecurityToken())).
		WithRegion(region).
		WithHttpClient(fn.httpClient)
	if fn.endpoint != "" {
		cfg = cfg.WithEndpoint(fn.endpoint)
	} else {
		cfg = cfg.WithUseInternalEndpoint(true)
	}
	res, err := oss.NewClient(cfg).GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(r.OSS.Bucket.Name), Key: oss.Ptr(key)})
	if err != nil {
		return nil, ossError(r.OSS.Bucket.Name, key, err)
	}
	defer res.Body.Close()

	h := sha256.New()
	head := make([]byte, headBytes)
	n, err := io.ReadFull(res.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, ossError(r.OSS.Bucket.Name, key, err)
	}
	head = head[:n]
	h.Write(head)
	rest, err := io.Copy(h, res.Body)
	if err != nil {
		return nil, ossError(r.OSS.Bucket.Name, key, err)
	}
	return &Read{Bytes: int64(n) + rest, SHA256: hex.EncodeToString(h.Sum(nil)), Head: hex.EncodeToString(head)}, nil
}

// recordRegion returns the record's region, or the one in its bucket's ARN
// ("acs:oss:<region>:<account>:<bucket>").
func recordRegion(r trigger.OSSRecord) string {
	if r.Region != "" {
		return r.Region
	}
	if parts := strings.Split(r.OSS.Bucket.ARN, ":"); len(parts) >= 3 {
		return parts[2]
	}
	return ""
}

// ossError turns an error of the OSS SDK into a failure of the invocation:
// errorType OSS.<Code> for a refusal by OSS, OSSUnreachable for a network
// error, OSSError for anything else.
func ossError(bucket, key string, err error) error {
	var se *oss.ServiceError
	if errors.As(err, &se) {
		return event.Errorf("OSS."+se.Code, "reading oss://%s/%s: OSS answered %d %s: %s (request id %s)",
			bucket, key, se.StatusCode, se.Code, se.Message, se.RequestID)
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return event.Errorf("OSSUnreachable", "reading oss://%s/%s: %w", bucket, key, err)
	}
	return event.Errorf("OSSError", "reading oss://%s/%s: %w", bucket, key, err)
}

func main() {
	fn := newFunction(os.Getenv("OSS_ENDPOINT"))
	fcserver.Run(fcserver.WithEvent(event.JSON(fn.handle)))
}

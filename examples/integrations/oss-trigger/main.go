// Command oss-trigger is an event function for Function Compute triggered
// by OSS: for each object event it logs the bucket, the object key (decoded
// as the OSS SDK expects it), the size and the event name, and it answers
// with a summary:
//
//	{"objects":[{"bucket":"testbucket","key":"source/a.png","size":122539,"event":"ObjectCreated:PutObject"}],"totalBytes":122539}
//
// An event with no records fails the invocation with errorType
// NoOSSRecords; a key that is not URL-encoded fails it with InvalidObjectKey.
package main

import (
	"context"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/rs/zerolog"
)

// Object is one object in the summary.
type Object struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`  // decoded
	Size   int64  `json:"size"` // bytes
	Event  string `json:"event"`
}

// Summary is the result.
type Summary struct {
	Objects    []Object `json:"objects"`
	TotalBytes int64    `json:"totalBytes"`
}

func handle(ctx context.Context, e trigger.OSSEvent) (Summary, error) {
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
		size := int64(r.OSS.Object.Size)
		log.Info().Str("bucket", r.OSS.Bucket.Name).Str("key", key).Int64("size", size).Str("event", r.EventName).Msg("object")
		s.Objects = append(s.Objects, Object{Bucket: r.OSS.Bucket.Name, Key: key, Size: size, Event: r.EventName})
		s.TotalBytes += size
	}
	return s, nil
}

func main() {
	fcserver.Run(fcserver.WithEvent(event.JSON(handle)))
}

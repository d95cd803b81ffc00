package tablestore_test

import (
	"context"
	"fmt"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger/tablestore"
)

// A Tablestore trigger sends CBOR; event.JSON hands the payload to
// Event.UnmarshalPayload, which decodes it (or its JSON rendering) with
// integers above 2^53 intact.
func ExampleEvent_UnmarshalPayload() {
	h := event.JSON(func(_ context.Context, e tablestore.Event) (int, error) {
		for _, r := range e.Records {
			pk, _ := r.PrimaryKey[0].Value.Int()
			fmt.Println(r.Type, r.PrimaryKey[0].ColumnName, pk, r.Info.Time().Format("2006-01-02T15:04:05Z"))
			for _, c := range r.Columns {
				fmt.Println(" ", c.Type, c.ColumnName, c.Value)
			}
		}
		return len(e.Records), nil
	})

	// What FC sends, built here from the package's own types.
	in := tablestore.Event{Version: "Sync-v1", Records: []tablestore.Record{{
		Type:       "PutRow",
		Info:       tablestore.RecordInfo{Timestamp: 1506416585740836},
		PrimaryKey: []tablestore.PrimaryKeyColumn{{ColumnName: "id", Value: tablestore.IntValue(1506416585881590900)}},
		Columns: []tablestore.Column{
			{Type: tablestore.Put, ColumnName: "name", Value: tablestore.StringValue("Ada"), Timestamp: 1506416585741},
			{Type: tablestore.DeleteAllVersions, ColumnName: "draft"},
		},
	}}}
	payload, err := in.MarshalCBOR()
	if err != nil {
		panic(err)
	}
	out, err := h.Invoke(context.Background(), payload)
	fmt.Println(string(out), err)
	// Output:
	// PutRow id 1506416585881590900 2017-09-26T09:03:05Z
	//   Put name Ada
	//   DeleteAllVersions draft null
	// 1 <nil>
}

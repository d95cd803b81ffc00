// Package tablestore decodes the payload of a Tablestore (OTS) trigger: the
// rows a table's stream reports, which Function Compute delivers as CBOR
// (RFC 8949), not JSON.
//
// [Event] plugs into event.JSON like the JSON trigger types, because it
// implements event.PayloadUnmarshaler:
//
//	fcserver.WithEvent(event.JSON(func(ctx context.Context, e tablestore.Event) (Out, error) {
//		for _, r := range e.Records { … }
//	}))
//
// It also decodes the JSON rendering the documentation shows (a payload
// whose first non-space byte is '{'). Integers stay exact int64 values in
// both forms (row timestamps in microseconds exceed 2^53, the largest
// integer a float64 holds exactly).
//
// It is a separate package so that functions without a Tablestore trigger
// do not link the CBOR decoder (github.com/fxamacker/cbor/v2).
//
// Event format: https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/tablestore-trigger
package tablestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The record types, as in [Record.Type].
const (
	PutRow    = "PutRow"
	UpdateRow = "UpdateRow"
	DeleteRow = "DeleteRow"
)

// The column operations, as in [Column.Type].
const (
	Put               = "Put"
	DeleteOneVersion  = "DeleteOneVersion"
	DeleteAllVersions = "DeleteAllVersions"
)

// Event is the payload of a Tablestore trigger: a batch of row changes.
type Event struct {
	Version string   `json:"Version" cbor:"Version"` // "Sync-v1"
	Records []Record `json:"Records" cbor:"Records"` // the row changes
}

// Record is one row change.
type Record struct {
	Type       string             `json:"Type" cbor:"Type"`             // PutRow, UpdateRow or DeleteRow
	Info       RecordInfo         `json:"Info" cbor:"Info"`             // when the row changed
	PrimaryKey []PrimaryKeyColumn `json:"PrimaryKey" cbor:"PrimaryKey"` // the row's primary key columns
	Columns    []Column           `json:"Columns" cbor:"Columns"`       // the changed attribute columns
}

// RecordInfo is a record's metadata.
type RecordInfo struct {
	Timestamp int64 `json:"Timestamp" cbor:"Timestamp"` // when the row changed, microseconds since the Unix epoch
}

// Time returns Timestamp as a time.Time in UTC.
func (i RecordInfo) Time() time.Time { return time.UnixMicro(i.Timestamp).UTC() }

// PrimaryKeyColumn is one column of a row's primary key.
type PrimaryKeyColumn struct {
	ColumnName string `json:"ColumnName" cbor:"ColumnName"` // e.g. "pk_0"
	Value      Value  `json:"Value" cbor:"Value"`           // an integer, string or binary value
}

// Column is one changed attribute column.
type Column struct {
	Type       string `json:"Type" cbor:"Type"`             // Put, DeleteOneVersion or DeleteAllVersions
	ColumnName string `json:"ColumnName" cbor:"ColumnName"` // e.g. "attr_0"
	Value      Value  `json:"Value" cbor:"Value"`           // absent (null) for deletions
	Timestamp  int64  `json:"Timestamp" cbor:"Timestamp"`   // the cell version, milliseconds since the Unix epoch
}

// Time returns Timestamp as a time.Time in UTC.
func (c Column) Time() time.Time { return time.UnixMilli(c.Timestamp).UTC() }

var decMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{IntDec: cbor.IntDecConvertSignedOrFail}.DecMode()
	if err != nil {
		panic(err) // constant options: unreachable
	}
	return m
}()

// UnmarshalPayload decodes a trigger payload: CBOR, or the JSON rendering
// when its first non-space byte is '{' (a CBOR document of this shape
// starts with a map header, never with '{'). An empty payload decodes to
// the zero Event. It implements event.PayloadUnmarshaler.
func (e *Event) UnmarshalPayload(payload []byte) error {
	*e = Event{}
	t := bytes.TrimSpace(payload)
	switch {
	case len(t) == 0:
		return nil
	case t[0] == '{':
		if err := json.Unmarshal(t, e); err != nil {
			return fmt.Errorf("tablestore: payload is not a Tablestore event in JSON: %w", err)
		}
	default:
		if err := decMode.Unmarshal(payload, e); err != nil {
			return fmt.Errorf("tablestore: payload is not a Tablestore event in CBOR: %w", err)
		}
	}
	return nil
}

// MarshalCBOR encodes e in the trigger's wire format.
func (e Event) MarshalCBOR() ([]byte, error) {
	type plain Event
	return cbor.Marshal(plain(e))
}

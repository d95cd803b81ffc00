package tablestore_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger/tablestore"
	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	require.NoError(t, err)
	return b
}

// wireDoc is tablestore.json as the CBOR FC sends, built from plain Go
// values (not from the package's types), with a row timestamp and integer
// cells above 2^53.
func wireDoc(t testing.TB) []byte {
	doc := map[string]any{
		"Version": "Sync-v1",
		"Records": []any{map[string]any{
			"Type": "PutRow",
			"Info": map[string]any{"Timestamp": int64(1506416585740836)},
			"PrimaryKey": []any{
				map[string]any{"ColumnName": "pk_0", "Value": int64(1506416585881590900)},
				map[string]any{"ColumnName": "pk_1", "Value": "2017-09-26 17:03:05.8815909 +0800 CST"},
				map[string]any{"ColumnName": "pk_2", "Value": int64(1506416585741000)},
			},
			"Columns": []any{
				map[string]any{"Type": "Put", "ColumnName": "attr_0", "Value": "hello_table_store", "Timestamp": int64(1506416585741)},
				map[string]any{"Type": "Put", "ColumnName": "attr_1", "Value": int64(1506416585881590900), "Timestamp": int64(1506416585741)},
			},
		}},
	}
	b, err := cbor.Marshal(doc)
	require.NoError(t, err)
	return b
}

var want = tablestore.Event{
	Version: "Sync-v1",
	Records: []tablestore.Record{{
		Type: tablestore.PutRow,
		Info: tablestore.RecordInfo{Timestamp: 1506416585740836},
		PrimaryKey: []tablestore.PrimaryKeyColumn{
			{ColumnName: "pk_0", Value: tablestore.IntValue(1506416585881590900)},
			{ColumnName: "pk_1", Value: tablestore.StringValue("2017-09-26 17:03:05.8815909 +0800 CST")},
			{ColumnName: "pk_2", Value: tablestore.IntValue(1506416585741000)},
		},
		Columns: []tablestore.Column{
			{Type: tablestore.Put, ColumnName: "attr_0", Value: tablestore.StringValue("hello_table_store"), Timestamp: 1506416585741},
			{Type: tablestore.Put, ColumnName: "attr_1", Value: tablestore.IntValue(1506416585881590900), Timestamp: 1506416585741},
		},
	}},
}

// invoke decodes a payload the way a function receives it.
func invoke(payload []byte) (tablestore.Event, error) {
	var got tablestore.Event
	_, err := event.JSON(func(_ context.Context, e tablestore.Event) (struct{}, error) {
		got = e
		return struct{}{}, nil
	}).Invoke(context.Background(), payload)
	return got, err
}

func TestCBOR(t *testing.T) {
	got, err := invoke(wireDoc(t))
	require.NoError(t, err)
	assert.Equal(t, want, got)

	r := got.Records[0]
	assert.Equal(t, "2017-09-26T09:03:05.740836Z", r.Info.Time().Format("2006-01-02T15:04:05.999999Z07:00"))
	assert.Equal(t, "2017-09-26T09:03:05.741Z", r.Columns[0].Time().Format("2006-01-02T15:04:05.999Z07:00"))
	n, ok := r.PrimaryKey[0].Value.Int()
	assert.True(t, ok)
	assert.Equal(t, int64(1506416585881590900), n, "exact above 2^53")
	s, ok := r.Columns[0].Value.Text()
	assert.True(t, ok)
	assert.Equal(t, "hello_table_store", s)

	// Round trips: CBOR → Event → CBOR, and Event → JSON → Event.
	b, err := cbor.Marshal(got)
	require.NoError(t, err)
	again, err := invoke(b)
	require.NoError(t, err)
	assert.Equal(t, want, again)
	j, err := json.Marshal(got)
	require.NoError(t, err)
	again, err = invoke(j)
	require.NoError(t, err)
	assert.Equal(t, want, again)
}

func TestJSONRendering(t *testing.T) {
	got, err := invoke(load(t, "tablestore.json"))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestValueKinds(t *testing.T) {
	doc := map[string]any{"Records": []any{map[string]any{"Columns": []any{
		map[string]any{"Value": 1.5},
		map[string]any{"Value": true},
		map[string]any{"Value": []byte{0, 1, 0xff}},
		map[string]any{"Value": nil, "Type": tablestore.DeleteAllVersions},
		map[string]any{"Value": int64(-9223372036854775808)},
		map[string]any{"Value": 2.0},
	}}}}
	b, err := cbor.Marshal(doc)
	require.NoError(t, err)
	got, err := invoke(b)
	require.NoError(t, err)
	c := got.Records[0].Columns
	f, ok := c[0].Value.Float()
	assert.True(t, ok)
	assert.Equal(t, 1.5, f)
	v, ok := c[1].Value.Bool()
	assert.True(t, ok && v)
	bs, ok := c[2].Value.Bytes()
	assert.True(t, ok)
	assert.Equal(t, []byte{0, 1, 0xff}, bs)
	assert.Equal(t, "0001ff", c[2].Value.String())
	assert.True(t, c[3].Value.IsNull())
	assert.Equal(t, "null", c[3].Value.String())
	n, _ := c[4].Value.Int()
	assert.Equal(t, int64(-9223372036854775808), n)
	_, isInt := c[5].Value.Int()
	assert.False(t, isInt, "2.0 is a double")

	// JSON keeps doubles doubles: 2.0 is written as 2.0, not 2.
	j, err := json.Marshal(got.Records[0].Columns[5].Value)
	require.NoError(t, err)
	assert.Equal(t, "2.0", string(j))

	re, err := cbor.Marshal(got)
	require.NoError(t, err)
	again, err := invoke(re)
	require.NoError(t, err)
	assert.Equal(t, got, again)
}

func TestRejected(t *testing.T) {
	// The documentation's type template: "Timestamp": "int64".
	_, err := invoke(load(t, "unusable-as-published/tablestore.devsapp-schema-placeholder.json"))
	r := event.ToResponse(err)
	assert.Equal(t, event.TypeInvalidPayload, r.ErrorType)
	assert.Contains(t, r.ErrorMessage, "tablestore: payload is not a Tablestore event in JSON: json: cannot unmarshal string into Go struct field")
	assert.Contains(t, r.ErrorMessage, "Timestamp of type int64")

	nested, _ := cbor.Marshal(map[string]any{"Records": []any{map[string]any{"Columns": []any{map[string]any{"Value": []any{1}}}}}})
	_, err = invoke(nested)
	assert.ErrorContains(t, err, "tablestore: a cell value must be an integer, double, string, boolean or binary")

	big, _ := cbor.Marshal(map[string]any{"Records": []any{map[string]any{"Info": map[string]any{"Timestamp": uint64(1 << 63)}}}})
	_, err = invoke(big)
	assert.ErrorContains(t, err, "tablestore: payload is not a Tablestore event in CBOR")

	_, err = invoke([]byte{0xff, 0x00})
	assert.ErrorContains(t, err, "tablestore: payload is not a Tablestore event in CBOR")

	got, err := invoke(nil)
	require.NoError(t, err)
	assert.Equal(t, tablestore.Event{}, got)
}

// A handler taking *tablestore.Event decodes the CBOR the same way.
func TestPointerInput(t *testing.T) {
	var got *tablestore.Event
	_, err := event.JSON(func(_ context.Context, e *tablestore.Event) (struct{}, error) {
		got = e
		return struct{}{}, nil
	}).Invoke(context.Background(), wireDoc(t))
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, want, *got)
}

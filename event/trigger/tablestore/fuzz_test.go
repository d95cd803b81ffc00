package tablestore_test

import (
	"encoding/json"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// FuzzEvent checks that no payload, CBOR or JSON, makes the decoder
// panic, and that whatever decodes also encodes (CBOR and JSON) and decodes
// again.
func FuzzEvent(f *testing.F) {
	f.Add(wireDoc(f))
	f.Add(load(f, "tablestore.json"))
	f.Add(load(f, "unusable-as-published/tablestore.devsapp-schema-placeholder.json"))
	f.Add([]byte{0xa1, 0x67, 'R', 'e', 'c', 'o', 'r', 'd', 's', 0x80})
	f.Fuzz(func(t *testing.T, payload []byte) {
		e, err := invoke(payload)
		if err != nil {
			return
		}
		for _, r := range e.Records {
			_ = r.Info.Time()
			for _, c := range r.Columns {
				_ = c.Value.String()
			}
		}
		b, err := cbor.Marshal(e)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode CBOR: %v", payload, err)
		}
		if _, err := invoke(b); err != nil {
			t.Fatalf("decoded %x, encoded CBOR %x, which does not decode: %v", payload, b, err)
		}
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("decoded %x but cannot encode JSON: %v", payload, err)
		}
	})
}

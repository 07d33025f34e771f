// Package nullable helps PATCH bodies tell "clear this field" (null) from
// "leave it alone" (absent) without a wrapper type on every field: the
// feature's patch types keep plain *string fields, where "" means clear.
package nullable

import (
	"bytes"
	"encoding/json"
)

// DecodeClearable decodes the JSON object b strictly into v after turning
// null in the named fields into "". v must not be a type whose
// UnmarshalJSON calls DecodeClearable again (use a local alias type).
func DecodeClearable(b []byte, v any, fields ...string) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for _, f := range fields {
		if m, ok := raw[f]; ok && string(bytes.TrimSpace(m)) == "null" {
			raw[f] = json.RawMessage(`""`)
		}
	}
	norm, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(norm))
	// The HTTP layer rejects unknown fields; a custom decoder must too.
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

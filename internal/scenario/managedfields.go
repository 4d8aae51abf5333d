//nolint:goconst // Kubernetes field names read best as themselves in object literals.
package scenario

import (
	"encoding/json"
	"strconv"
)

// A managedEntry is one field manager's claim on an object's fields.
type managedEntry struct {
	manager, operation, subresource string
	// fields is the part of the object the manager set.
	fields map[string]any
}

// setManagedFields writes metadata.managedFields as the API server tracks
// them: a FieldsV1 set per manager. Crossplane sends them to the function,
// so they are part of what it decodes on every call.
func setManagedFields(obj map[string]any, entries []managedEntry) {
	apiVersion, _ := obj["apiVersion"].(string)
	var out []any
	for _, e := range entries {
		fs := fieldSet(e.fields, true)
		if len(fs) == 0 {
			continue
		}
		m := map[string]any{
			"manager": e.manager, "operation": e.operation, "apiVersion": apiVersion,
			"time": transition, "fieldsType": "FieldsV1", "fieldsV1": fs,
		}
		if e.subresource != "" {
			m["subresource"] = e.subresource
		}
		out = append(out, m)
	}
	if len(out) > 0 {
		set(obj, out, "metadata", "managedFields")
	}
}

// fieldSet is v's FieldsV1 set: f:<field> for fields, k:<key> for list
// items with a name or type key, v:<value> for sets of scalars.
func fieldSet(v any, root bool) map[string]any {
	out := map[string]any{}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				continue
			}
			out["f:"+k] = fieldSet(e, false)
		}
	case []any:
		for i, e := range t {
			out[itemKey(e, i)] = fieldSet(e, false)
		}
	default:
		return out
	}
	if !root && len(out) > 0 {
		out["."] = map[string]any{}
	}
	return out
}

func itemKey(e any, i int) string {
	m, ok := e.(map[string]any)
	if !ok {
		b, _ := json.Marshal(e) //nolint:errchkjson // A JSON scalar.
		return "v:" + string(b)
	}
	for _, k := range []string{"name", "type", "mountPath", "containerPort", "port"} {
		if v, ok := m[k]; ok {
			b, _ := json.Marshal(map[string]any{k: v}) //nolint:errchkjson // A JSON scalar.
			return "k:" + string(b)
		}
	}
	return "i:" + strconv.Itoa(i)
}

package reliability

import (
	"strings"
)

// set puts v at the dotted path in m, making the objects on the way.
func set(path string, v any) func(map[string]any) {
	return func(m map[string]any) {
		parts := strings.Split(path, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
}

// del removes the dotted path from m.
func del(path string) func(map[string]any) {
	return func(m map[string]any) {
		parts := strings.Split(path, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				return
			}
			m = next
		}
		delete(m, parts[len(parts)-1])
	}
}

// all applies each change in turn.
func all(changes ...func(map[string]any)) func(map[string]any) {
	return func(m map[string]any) {
		for _, c := range changes {
			c(m)
		}
	}
}

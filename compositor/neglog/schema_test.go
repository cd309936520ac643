package neglog

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docField is a field as doc.go lists it.
type docField struct {
	name, typ string
	vol, opt  bool
}

// parseDocEvents reads the "# Events" section of doc.go: a line
// "type (scope): ..." opens an event, and "  - [vol ]name (type[, optional]): ..."
// lines list its fields.
func parseDocEvents(t *testing.T) (order []string, scopes map[string]string, fields map[string][]docField) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	_, events, found := strings.Cut(string(src), "// # Events")
	require.True(t, found, "doc.go has an Events section")
	head := regexp.MustCompile(`^// ([a-z_]+) \((client|compositor)\):`)
	item := regexp.MustCompile(`^//   - (vol )?([a-z_]+) \(([a-z ]+?)(, optional)?\):`)
	scopes, fields = map[string]string{}, map[string][]docField{}
	cur := ""
	for _, line := range strings.Split(events, "\n") {
		if m := head.FindStringSubmatch(line); m != nil {
			cur = m[1]
			order = append(order, cur)
			scopes[cur] = m[2]
			continue
		}
		if m := item.FindStringSubmatch(line); m != nil {
			require.NotEmpty(t, cur, "field %q listed before any event", m[2])
			fields[cur] = append(fields[cur], docField{name: m[2], typ: m[3], vol: m[1] != "", opt: m[4] != ""})
		}
	}
	return order, scopes, fields
}

// TestDocMatchesSchema keeps the documentation, which users read, and the
// table, which Validate enforces, the same schema.
func TestDocMatchesSchema(t *testing.T) {
	order, scopes, fields := parseDocEvents(t)
	var want []string
	for _, spec := range Schema() {
		want = append(want, spec.Type)
		var specFields []docField
		for _, f := range spec.Fields {
			specFields = append(specFields, docField{f.Name, f.TypeName(), false, f.Optional})
		}
		for _, f := range spec.Vol {
			specFields = append(specFields, docField{f.Name, f.TypeName(), true, f.Optional})
		}
		assert.Equal(t, spec.Scope.String(), scopes[spec.Type], "scope of %s", spec.Type)
		assert.Equal(t, specFields, fields[spec.Type], "fields of %s", spec.Type)
	}
	assert.Equal(t, want, order, "doc.go lists exactly the schema's events, in table order")
}

func TestSchemaIsWellFormed(t *testing.T) {
	reserved := map[string]bool{"v": true, "frame": true, "client": true, "ord": true, "event": true, "vol": true}
	seen := map[string]bool{}
	for _, spec := range Schema() {
		assert.False(t, seen[spec.Type], "%s listed twice", spec.Type)
		seen[spec.Type] = true
		names := map[string]bool{}
		for _, f := range append(append([]FieldSpec(nil), spec.Fields...), spec.Vol...) {
			assert.False(t, reserved[f.Name], "%s.%s uses an envelope key", spec.Type, f.Name)
			assert.False(t, names[f.Name], "%s.%s listed twice", spec.Type, f.Name)
			names[f.Name] = true
			assert.Equal(t, f.Kind == KindList, f.Elem != KindInvalid, "%s.%s: Elem is set for lists only", spec.Type, f.Name)
		}
		got, ok := Lookup(spec.Type)
		assert.True(t, ok)
		assert.Equal(t, spec, got)
	}
	_, ok := Lookup("no_such_event")
	assert.False(t, ok, "unknown types are not found")

	s := Schema()
	s[0].Fields[0].Name = "changed"
	assert.Equal(t, "comm", Schema()[0].Fields[0].Name, "Schema returns a copy")
}

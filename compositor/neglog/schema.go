package neglog

// Scope says whether an event belongs to a client.
type Scope uint8

const (
	// ScopeClient lines carry "client" and "ord".
	ScopeClient Scope = iota + 1
	// ScopeCompositor lines carry neither.
	ScopeCompositor
)

func (s Scope) String() string {
	switch s {
	case ScopeClient:
		return "client"
	case ScopeCompositor:
		return "compositor"
	}
	return "invalid"
}

// FieldSpec describes one field of an event.
type FieldSpec struct {
	Name     string
	Kind     Kind
	Elem     Kind // the kind of the elements when Kind is KindList
	Optional bool // left out when it does not apply
}

// TypeName names the field's type as the package documentation does.
func (s FieldSpec) TypeName() string {
	if s.Kind == KindList {
		return "list of " + s.Elem.String() + "s"
	}
	return s.Kind.String()
}

// EventSpec describes one event type: its fields in line order and its
// volatile fields.
type EventSpec struct {
	Type   string
	Scope  Scope
	Fields []FieldSpec
	Vol    []FieldSpec
}

// The event types of version 1.
const (
	TypeClientConnect    = "client_connect"
	TypeClientName       = "client_name"
	TypeClientDisconnect = "client_disconnect"
	TypeBind             = "bind"
	TypeBufferImport     = "buffer_import"
	TypeFrameRender      = "frame_render"
	TypeFrameCommit      = "frame_commit"
	TypePresentation     = "presentation"
	TypeLockstepTimeout  = "lockstep_timeout"
	TypeOutput           = "output"
	TypeDmabufFeedback   = "dmabuf_feedback"
	TypeDmabufAdd        = "dmabuf_add"
	TypeDmabufCreate     = "dmabuf_create"
	TypeDmabufWarning    = "dmabuf_warning"
	TypeSync             = "sync"
	TypeOwnership        = "ownership_violation"
)

func str(name string) FieldSpec     { return FieldSpec{Name: name, Kind: KindString} }
func integer(name string) FieldSpec { return FieldSpec{Name: name, Kind: KindInt} }
func boolean(name string) FieldSpec { return FieldSpec{Name: name, Kind: KindBool} }
func strs(name string) FieldSpec {
	return FieldSpec{Name: name, Kind: KindList, Elem: KindString}
}
func opt(s FieldSpec) FieldSpec { s.Optional = true; return s }
func objects(name string) FieldSpec {
	return FieldSpec{Name: name, Kind: KindList, Elem: KindObject}
}

// schema is the table Validate checks against and the package
// documentation describes; TestDocMatchesSchema keeps the two in step.
// Adding an event means a Type constant, an entry here, a constructor and
// a paragraph in doc.go. Fields are only ever appended to an entry.
var schema = []EventSpec{
	{
		Type: TypeClientConnect, Scope: ScopeClient,
		Fields: []FieldSpec{str("comm")},
		Vol:    []FieldSpec{integer("pid")},
	},
	{
		Type: TypeClientName, Scope: ScopeClient,
		Fields: []FieldSpec{str("name"), str("previous")},
	},
	{
		Type: TypeClientDisconnect, Scope: ScopeClient,
		Fields: []FieldSpec{
			str("reason"),
			opt(str("error_interface")), opt(integer("error_code")), opt(str("error_message")),
		},
		Vol: []FieldSpec{opt(str("detail"))},
	},
	{
		Type: TypeBind, Scope: ScopeClient,
		Fields: []FieldSpec{str("interface"), integer("version"), integer("global")},
	},
	{
		Type: TypeBufferImport, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("buffer"), str("type"), str("format"), str("fourcc"),
			integer("width"), integer("height"), opt(integer("stride")), opt(str("modifier")),
		},
	},
	{
		Type: TypeFrameRender, Scope: ScopeCompositor,
		Fields: []FieldSpec{integer("surfaces"), boolean("damaged"), opt(str("crc")), str("primary_format")},
	},
	{
		Type: TypeFrameCommit, Scope: ScopeCompositor,
		Fields: []FieldSpec{integer("fb"), strs("flags"), str("result")},
	},
	{
		Type: TypePresentation, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("surface"), str("kind"),
			opt(integer("seq")), opt(strs("flags")), opt(integer("refresh_ns")),
		},
		Vol: []FieldSpec{opt(integer("tv_sec")), opt(integer("tv_nsec"))},
	},
	{
		Type: TypeLockstepTimeout, Scope: ScopeCompositor,
		Fields: []FieldSpec{strs("waiting"), integer("timeout_ms")},
	},
	{
		Type: TypeOutput, Scope: ScopeCompositor,
		Fields: []FieldSpec{str("profile"), str("mode"), str("primary_format"), str("clock")},
		Vol:    []FieldSpec{integer("mono_base_ns"), str("socket")},
	},
	{
		Type: TypeDmabufFeedback, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("feedback"), str("kind"), opt(integer("surface")),
			str("main_device"), integer("table_entries"), objects("tranches"),
		},
	},
	{
		Type: TypeDmabufAdd, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("params"), integer("plane"), integer("offset"), integer("stride"),
			str("modifier"), str("result"), opt(str("rule")),
		},
	},
	{
		Type: TypeDmabufCreate, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("params"), str("request"), integer("width"), integer("height"),
			str("format"), integer("flags"), objects("planes"), str("result"), opt(str("rule")),
		},
	},
	{
		Type: TypeDmabufWarning, Scope: ScopeClient,
		Fields: []FieldSpec{str("error"), str("rule")},
	},
	{
		Type: TypeSync, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("buffer"), str("kind"), str("action"),
			opt(integer("surface")), opt(str("timeline")), opt(str("point")),
		},
	},
	{
		Type: TypeOwnership, Scope: ScopeClient,
		Fields: []FieldSpec{
			integer("buffer"), integer("surface"), str("window_start"),
			integer("since_frame"), integer("seen_frame"), str("stage"),
		},
	},
}

// Schema returns the specs of every version-1 event type, in the order
// the package documentation lists them. The result is a copy.
func Schema() []EventSpec {
	out := make([]EventSpec, len(schema))
	for i, s := range schema {
		s.Fields = append([]FieldSpec(nil), s.Fields...)
		s.Vol = append([]FieldSpec(nil), s.Vol...)
		out[i] = s
	}
	return out
}

// Lookup returns the spec of an event type. The slices in it are the
// table's own and must not be modified.
func Lookup(eventType string) (EventSpec, bool) {
	for _, s := range schema {
		if s.Type == eventType {
			return s, true
		}
	}
	return EventSpec{}, false
}

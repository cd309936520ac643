package spec_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/protocol/spec"
)

var xmlDir = os.DirFS("../xml")

var wantFiles = []string{
	"headway-test-v1.xml",
	"linux-dmabuf-v1.xml",
	"linux-drm-syncobj-v1.xml",
	"linux-explicit-synchronization-unstable-v1.xml",
	"presentation-time.xml",
	"single-pixel-buffer-v1.xml",
	"viewporter.xml",
	"wayland.xml",
	"xdg-shell.xml",
}

func loadAll(t testing.TB) *spec.Set {
	t.Helper()
	s, err := spec.Load(xmlDir)
	require.NoError(t, err)
	return s
}

func TestFilesPresentAndParseAlone(t *testing.T) {
	names, err := fs.Glob(xmlDir, "*.xml")
	require.NoError(t, err)
	assert.ElementsMatch(t, wantFiles, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			f, err := xmlDir.Open(name)
			require.NoError(t, err)
			defer f.Close()
			p, err := spec.Parse(f)
			require.NoError(t, err)
			assert.NotEmpty(t, p.Interfaces)
		})
	}
}

// The files are interface facts only: no prose from the published XML.
func TestFilesCarryNoProse(t *testing.T) {
	for _, name := range wantFiles {
		data, err := fs.ReadFile(xmlDir, name)
		require.NoError(t, err)
		text := string(data)
		for _, banned := range []string{"<description", "summary=", "<copyright", "Permission is hereby granted"} {
			assert.NotContains(t, text, banned, name)
		}
		assert.Contains(t, text, "written for headway", name)
	}
}

func TestLoadNamedNeedsDependencies(t *testing.T) {
	_, err := spec.Load(xmlDir, "xdg-shell.xml")
	require.ErrorIs(t, err, spec.ErrInvalid)
	assert.Contains(t, err.Error(), "wl_surface")

	s, err := spec.Load(xmlDir, "wayland.xml", "xdg-shell.xml")
	require.NoError(t, err)
	assert.Len(t, s.Protocols, 2)
	assert.Equal(t, "xdg_shell", s.ProtocolOf("xdg_toplevel").Name)

	_, err = spec.Load(xmlDir, "missing.xml")
	require.ErrorIs(t, err, fs.ErrNotExist)
}

// Versions are capped as headway serves them; nothing newer may survive.
func TestInterfaceVersions(t *testing.T) {
	s := loadAll(t)
	want := map[string]uint32{
		"wl_display": 1, "wl_registry": 1, "wl_callback": 1, "wl_compositor": 6,
		"wl_shm_pool": 2, "wl_shm": 2, "wl_buffer": 1, "wl_data_offer": 3,
		"wl_data_source": 3, "wl_data_device": 3, "wl_data_device_manager": 3,
		"wl_shell": 1, "wl_shell_surface": 1, "wl_surface": 6, "wl_seat": 9,
		"wl_pointer": 9, "wl_keyboard": 9, "wl_touch": 9, "wl_output": 4,
		"wl_region": 1, "wl_subcompositor": 1, "wl_subsurface": 1,
		"xdg_wm_base": 6, "xdg_positioner": 6, "xdg_surface": 6, "xdg_toplevel": 6, "xdg_popup": 6,
		"zwp_linux_dmabuf_v1": 5, "zwp_linux_buffer_params_v1": 5, "zwp_linux_dmabuf_feedback_v1": 5,
		"wp_linux_drm_syncobj_manager_v1": 1, "wp_linux_drm_syncobj_timeline_v1": 1, "wp_linux_drm_syncobj_surface_v1": 1,
		"zwp_linux_explicit_synchronization_v1": 2, "zwp_linux_surface_synchronization_v1": 2, "zwp_linux_buffer_release_v1": 1,
		"wp_presentation": 2, "wp_presentation_feedback": 2,
		"wp_viewporter": 1, "wp_viewport": 1, "wp_single_pixel_buffer_manager_v1": 1,
		"headway_test_v1": 2, "headway_test_crc_v1": 1, "headway_test_capture_v1": 1, "headway_test_sync_file_v1": 1,
	}
	got := map[string]uint32{}
	for _, p := range s.Protocols {
		for _, i := range p.Interfaces {
			got[i.Name] = i.Version
		}
	}
	assert.Equal(t, want, got)
}

func TestNothingAboveCap(t *testing.T) {
	s := loadAll(t)
	for _, p := range s.Protocols {
		for _, i := range p.Interfaces {
			for _, ms := range [][]spec.Message{i.Requests, i.Events} {
				for k, m := range ms {
					assert.LessOrEqual(t, m.Since, i.Version, "%s.%s", i.Name, m.Name)
					assert.Equal(t, uint16(k), m.Opcode, "%s.%s", i.Name, m.Name)
				}
			}
			for _, e := range i.Enums {
				assert.LessOrEqual(t, e.Since, i.Version, "%s.%s", i.Name, e.Name)
				for _, en := range e.Entries {
					assert.LessOrEqual(t, en.Since, i.Version, "%s.%s.%s", i.Name, e.Name, en.Name)
				}
			}
		}
	}
	// xdg_positioner v7 adds constrained_* bits; they must be gone.
	ca := s.Interface("xdg_positioner").Enum("constraint_adjustment")
	require.NotNil(t, ca)
	assert.Nil(t, ca.Entry("constrained_left"))
	assert.Len(t, ca.Entries, 7)
}

type msgFact struct {
	iface, name string
	request     bool
	opcode      uint16
	since       uint32
	deprecated  uint32
	destructor  bool
	signature   string
}

func TestMessageFacts(t *testing.T) {
	s := loadAll(t)
	for _, f := range []msgFact{
		{"wl_display", "sync", true, 0, 1, 0, false, "n"},
		{"wl_display", "get_registry", true, 1, 1, 0, false, "n"},
		{"wl_display", "error", false, 0, 1, 0, false, "ous"},
		{"wl_display", "delete_id", false, 1, 1, 0, false, "u"},
		{"wl_registry", "bind", true, 0, 1, 0, false, "usun"},
		{"wl_registry", "global", false, 0, 1, 0, false, "usu"},
		{"wl_callback", "done", false, 0, 1, 0, true, "u"},
		{"wl_compositor", "create_region", true, 1, 1, 0, false, "n"},
		{"wl_shm", "release", true, 1, 2, 0, true, "2"},
		{"wl_shm_pool", "create_buffer", true, 0, 1, 0, false, "niiiiu"},
		{"wl_surface", "attach", true, 1, 1, 0, false, "?oii"},
		{"wl_surface", "offset", true, 10, 5, 0, false, "5ii"},
		{"wl_surface", "preferred_buffer_transform", false, 3, 6, 0, false, "6u"},
		{"wl_seat", "release", true, 3, 5, 0, true, "5"},
		{"wl_seat", "name", false, 1, 2, 0, false, "2s"},
		{"wl_pointer", "axis_discrete", false, 8, 5, 8, false, "5ui"},
		{"wl_pointer", "axis_relative_direction", false, 10, 9, 0, false, "9uu"},
		{"wl_keyboard", "keymap", false, 0, 1, 0, false, "uhu"},
		{"wl_output", "name", false, 4, 4, 0, false, "4s"},
		{"wl_output", "description", false, 5, 4, 0, false, "4s"},
		{"wl_data_offer", "set_actions", true, 4, 3, 0, false, "3uu"},
		{"xdg_wm_base", "destroy", true, 0, 1, 0, true, ""},
		{"xdg_toplevel", "wm_capabilities", false, 3, 5, 0, false, "5a"},
		{"xdg_popup", "reposition", true, 2, 3, 0, false, "3ou"},
		{"zwp_linux_dmabuf_v1", "get_default_feedback", true, 2, 4, 0, false, "4n"},
		{"zwp_linux_dmabuf_v1", "get_surface_feedback", true, 3, 4, 0, false, "4no"},
		{"zwp_linux_dmabuf_v1", "format", false, 0, 1, 4, false, "u"},
		{"zwp_linux_dmabuf_v1", "modifier", false, 1, 3, 4, false, "3uuu"},
		{"zwp_linux_buffer_params_v1", "add", true, 1, 1, 0, false, "huuuuu"},
		{"zwp_linux_buffer_params_v1", "create_immed", true, 3, 2, 0, false, "2niiuu"},
		{"zwp_linux_buffer_params_v1", "created", false, 0, 1, 0, false, "n"},
		{"zwp_linux_dmabuf_feedback_v1", "format_table", false, 1, 1, 0, false, "hu"},
		{"wp_linux_drm_syncobj_manager_v1", "import_timeline", true, 2, 1, 0, false, "nh"},
		{"wp_linux_drm_syncobj_surface_v1", "set_release_point", true, 2, 1, 0, false, "ouu"},
		{"zwp_linux_surface_synchronization_v1", "set_acquire_fence", true, 1, 1, 0, false, "h"},
		{"zwp_linux_buffer_release_v1", "fenced_release", false, 0, 1, 0, true, "h"},
		{"zwp_linux_buffer_release_v1", "immediate_release", false, 1, 1, 0, true, ""},
		{"wp_presentation", "feedback", true, 1, 1, 0, false, "on"},
		{"wp_presentation_feedback", "presented", false, 1, 1, 0, true, "uuuuuuu"},
		{"wp_viewport", "set_source", true, 1, 1, 0, false, "ffff"},
		{"wp_single_pixel_buffer_manager_v1", "create_u32_rgba_buffer", true, 1, 1, 0, false, "nuuuu"},
		{"headway_test_v1", "advance", true, 1, 1, 0, false, "nu"},
		{"headway_test_v1", "capture", true, 3, 1, 0, false, "no"},
		{"headway_test_v1", "pointer_motion", true, 4, 1, 0, false, "ff"},
		{"headway_test_v1", "move_surface", true, 7, 1, 0, false, "oii"},
		{"headway_test_v1", "name_client_pid", true, 11, 1, 0, false, "us"},
		{"headway_test_v1", "enable_crc", true, 12, 1, 0, false, ""},
		{"headway_test_v1", "import_sync_file", true, 13, 2, 0, false, "2ohu"},
		{"headway_test_v1", "export_sync_file", true, 14, 2, 0, false, "2nou"},
		{"headway_test_sync_file_v1", "fence", false, 0, 1, 0, true, "h"},
		{"headway_test_v1", "clock", false, 0, 1, 0, false, "uuuu"},
		{"headway_test_crc_v1", "crc", false, 0, 1, 0, true, "uuu"},
		{"headway_test_capture_v1", "failed", false, 1, 1, 0, true, "s"},
	} {
		t.Run(f.iface+"."+f.name, func(t *testing.T) {
			i := s.Interface(f.iface)
			require.NotNil(t, i)
			m := i.Event(f.name)
			if f.request {
				m = i.Request(f.name)
			}
			require.NotNil(t, m)
			assert.Equal(t, f.opcode, m.Opcode, "opcode")
			assert.Equal(t, f.since, m.Since, "since")
			assert.Equal(t, f.deprecated, m.DeprecatedSince, "deprecated-since")
			assert.Equal(t, f.destructor, m.Destructor, "destructor")
			assert.Equal(t, f.signature, m.Signature(), "signature")
		})
	}
}

type enumFact struct {
	iface, enum string
	bitfield    bool
	entries     map[string]uint32
	count       int // 0: len(entries)
}

func TestEnumFacts(t *testing.T) {
	s := loadAll(t)
	for _, f := range []enumFact{
		{"wl_display", "error", false, map[string]uint32{"invalid_object": 0, "invalid_method": 1, "no_memory": 2, "implementation": 3}, 0},
		{"wl_shm", "error", false, map[string]uint32{"invalid_format": 0, "invalid_stride": 1, "invalid_fd": 2}, 0},
		{"wl_shm", "format", false, map[string]uint32{"argb8888": 0, "xrgb8888": 1, "nv12": 0x3231564e, "p030": 0x30333050}, 123},
		{"wl_seat", "capability", true, map[string]uint32{"pointer": 1, "keyboard": 2, "touch": 4}, 0},
		{"wl_output", "transform", false, map[string]uint32{"normal": 0, "90": 1, "180": 2, "270": 3, "flipped": 4, "flipped_90": 5, "flipped_180": 6, "flipped_270": 7}, 0},
		{"wl_data_device_manager", "dnd_action", true, map[string]uint32{"none": 0, "copy": 1, "move": 2, "ask": 4}, 0},
		{"xdg_wm_base", "error", false, map[string]uint32{"role": 0, "defunct_surfaces": 1, "not_the_topmost_popup": 2, "invalid_popup_parent": 3, "invalid_surface_state": 4, "invalid_positioner": 5, "unresponsive": 6}, 0},
		{"zwp_linux_buffer_params_v1", "error", false, map[string]uint32{"already_used": 0, "plane_idx": 1, "plane_set": 2, "incomplete": 3, "invalid_format": 4, "invalid_dimensions": 5, "out_of_bounds": 6, "invalid_wl_buffer": 7}, 0},
		{"zwp_linux_buffer_params_v1", "flags", true, map[string]uint32{"y_invert": 1, "interlaced": 2, "bottom_first": 4}, 0},
		{"zwp_linux_dmabuf_feedback_v1", "tranche_flags", true, map[string]uint32{"scanout": 1}, 0},
		{"wp_linux_drm_syncobj_manager_v1", "error", false, map[string]uint32{"surface_exists": 0, "invalid_timeline": 1}, 0},
		{"wp_linux_drm_syncobj_surface_v1", "error", false, map[string]uint32{"no_surface": 1, "unsupported_buffer": 2, "no_buffer": 3, "no_acquire_point": 4, "no_release_point": 5, "conflicting_points": 6}, 0},
		{"zwp_linux_explicit_synchronization_v1", "error", false, map[string]uint32{"synchronization_exists": 0}, 0},
		{"zwp_linux_surface_synchronization_v1", "error", false, map[string]uint32{"invalid_fence": 0, "duplicate_fence": 1, "duplicate_release": 2, "no_surface": 3, "unsupported_buffer": 4, "no_buffer": 5}, 0},
		{"wp_presentation", "error", false, map[string]uint32{"invalid_timestamp": 0, "invalid_flag": 1}, 0},
		{"wp_presentation_feedback", "kind", true, map[string]uint32{"vsync": 1, "hw_clock": 2, "hw_completion": 4, "zero_copy": 8}, 0},
		{"headway_test_v1", "error", false, map[string]uint32{"not_manual": 0, "invalid_count": 1, "invalid_buffer": 2, "no_role": 3, "invalid_name": 4, "invalid_input": 5, "not_dmabuf": 6, "invalid_sync_file": 7}, 0},
		{"headway_test_v1", "clock_mode", false, map[string]uint32{"realtime": 0, "manual": 1, "lockstep": 2}, 0},
		{"headway_test_v1", "key_state", false, map[string]uint32{"released": 0, "pressed": 1}, 0},
		{"headway_test_v1", "sync_flags", true, map[string]uint32{"read": 1, "write": 2}, 0},
	} {
		t.Run(f.iface+"."+f.enum, func(t *testing.T) {
			i := s.Interface(f.iface)
			require.NotNil(t, i)
			e := i.Enum(f.enum)
			require.NotNil(t, e)
			assert.Equal(t, f.bitfield, e.Bitfield, "bitfield")
			want := f.count
			if want == 0 {
				want = len(f.entries)
			}
			assert.Len(t, e.Entries, want)
			for name, v := range f.entries {
				en := e.Entry(name)
				if assert.NotNil(t, en, name) {
					assert.Equal(t, v, en.Value, name)
				}
			}
		})
	}
}

func TestArgAttributes(t *testing.T) {
	s := loadAll(t)
	attach := s.Interface("wl_surface").Request("attach")
	require.NotNil(t, attach)
	assert.Equal(t, spec.Arg{Name: "buffer", Type: spec.ArgObject, Interface: "wl_buffer", AllowNull: true}, attach.Args[0])

	setTransform := s.Interface("wl_surface").Request("set_buffer_transform")
	require.NotNil(t, setTransform)
	assert.Equal(t, "wl_output.transform", setTransform.Args[0].Enum)
	e := s.Enum(s.Interface("wl_surface"), setTransform.Args[0].Enum)
	require.NotNil(t, e)
	assert.Same(t, s.Interface("wl_output").Enum("transform"), e)

	caps := s.Interface("wl_seat").Event("capabilities")
	require.NotNil(t, caps)
	assert.Same(t, s.Interface("wl_seat").Enum("capability"), s.Enum(s.Interface("wl_seat"), caps.Args[0].Enum))

	// Cross-protocol enum reference resolves through the set.
	toplevel := s.Interface("xdg_toplevel")
	assert.Nil(t, s.Enum(toplevel, "no_such_enum"))
	assert.NotNil(t, s.Enum(toplevel, "resize_edge"))

	title := toplevel.Request("set_title")
	require.NotNil(t, title)
	assert.Equal(t, spec.ArgString, title.Args[0].Type)
	assert.False(t, title.Args[0].AllowNull)
}

func TestUntypedNewIDExpansion(t *testing.T) {
	s := loadAll(t)
	bind := s.Interface("wl_registry").Request("bind")
	require.NotNil(t, bind)
	require.Len(t, bind.Args, 2)
	assert.True(t, bind.Args[1].Untyped())

	wire := bind.WireArgs()
	var types []spec.ArgType
	for _, a := range wire {
		types = append(types, a.Type)
	}
	assert.Equal(t, []spec.ArgType{spec.ArgUint, spec.ArgString, spec.ArgUint, spec.ArgNewID}, types)
	assert.Equal(t, "id", wire[3].Name)

	// Typed new_ids travel as themselves, and no event anywhere is untyped.
	sync := s.Interface("wl_display").Request("sync")
	assert.Equal(t, sync.Args, sync.WireArgs())
	for _, p := range s.Protocols {
		for _, i := range p.Interfaces {
			for _, m := range i.Events {
				for _, a := range m.Args {
					assert.False(t, a.Untyped(), "%s.%s", i.Name, m.Name)
				}
			}
		}
	}
}

func TestArgTypeNames(t *testing.T) {
	for _, name := range []string{"int", "uint", "fixed", "string", "object", "new_id", "array", "fd"} {
		typ, ok := spec.ParseArgType(name)
		require.True(t, ok, name)
		assert.Equal(t, name, typ.String())
		assert.NotEqual(t, byte('!'), typ.Code())
	}
	_, ok := spec.ParseArgType("invalid")
	assert.False(t, ok)
	assert.Equal(t, "invalid", spec.ArgType(200).String())
	assert.Equal(t, byte('!'), spec.ArgType(200).Code())
	assert.True(t, strings.Contains("iufsonah", string(spec.ArgFD.Code())))
}

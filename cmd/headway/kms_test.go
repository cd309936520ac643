package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dumpText(t *testing.T, name string) string {
	t.Helper()
	code, stdout, stderr := runCmd(t, "kms", "dump", "--profile", name)
	require.Equal(t, exitOK, code, stderr)
	require.Empty(t, stderr)
	return stdout
}

// objectLines counts the tree lines naming one object of kind ("Plane 3")
// at the depth drm_info puts them: directly under their section.
func objectLines(text, kind string) int {
	re := regexp.MustCompile(`(?m)^(│   |    )(├───|└───)` + kind + ` \d+$`)
	return len(re.FindAllString(text, -1))
}

// sections splits the text at the lines naming objects of kind and returns
// each object's lines (header included), in order.
func sections(text, kind string) []string {
	re := regexp.MustCompile(`^(│   |    )(├───|└───)(Connector|Encoder|CRTC|Plane) \d+$`)
	var out []string
	cur := -1
	for _, l := range strings.Split(text, "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			if m[3] == kind {
				out = append(out, "")
				cur = len(out) - 1
			} else {
				cur = -1
			}
			continue
		}
		if strings.HasPrefix(l, treeBranch) || strings.HasPrefix(l, treeLast) {
			cur = -1 // the next top-level section
		}
		if cur >= 0 {
			out[cur] += l + "\n"
		}
	}
	return out
}

func TestKMSDumpEveryProfile(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			p, err := profile.Load(name)
			require.NoError(t, err)
			d, err := newDumpDevice(p)
			require.NoError(t, err)
			defer d.Close()

			text := dumpText(t, name)
			assert.True(t, strings.HasPrefix(text, "Node: headway:"+name+"\n"), "first line: %q", strings.SplitN(text, "\n", 2)[0])
			assert.Contains(t, text, "\n├───Driver: headway-"+name+" ("+p.Description+")\n")
			assert.Contains(t, text, "DRM_CLIENT_CAP_ATOMIC supported\n")
			assert.Contains(t, text, fmt.Sprintf("DRM_CAP_CURSOR_WIDTH = %d\n", p.CRTCs.CursorWidth))
			assert.Contains(t, text, fmt.Sprintf("DRM_CAP_CURSOR_HEIGHT = %d\n", p.CRTCs.CursorHeight))

			// The writeback connector is counted: the dump's file has the cap.
			assert.Equal(t, len(d.Connectors()), objectLines(text, "Connector"), "connectors")
			assert.Equal(t, len(d.Encoders()), objectLines(text, "Encoder"), "encoders")
			assert.Equal(t, len(d.CRTCs()), objectLines(text, "CRTC"), "CRTCs")
			assert.Equal(t, len(d.Planes()), objectLines(text, "Plane"), "planes")
			assert.Equal(t, len(d.Planes()), strings.Count(text, `"IN_FORMATS" (immutable): blob = `), "one IN_FORMATS per plane")

			for i, c := range sections(text, "CRTC") {
				assert.Contains(t, c, fmt.Sprintf("Gamma size: %d\n", p.CRTCs.GammaLUTSize), "CRTC %d", i)
				if p.CRTCs.GammaLUTSize > 0 {
					assert.Contains(t, c, fmt.Sprintf(`"GAMMA_LUT_SIZE" (immutable): range [0, UINT32_MAX] = %d`, p.CRTCs.GammaLUTSize), "CRTC %d", i)
				} else {
					assert.NotContains(t, c, "GAMMA_LUT", "CRTC %d: no gamma LUT, no property", i)
				}
			}
			planes := sections(text, "Plane")
			require.Len(t, planes, len(d.Planes()))
			for i, pl := range d.Planes() {
				assert.Contains(t, planes[i], fmt.Sprintf("Object ID: %d\n", pl.ID()))
				assert.Contains(t, planes[i], "Type: "+pl.Type().String()+"\n")
				for _, fm := range pl.Profile().Formats {
					assert.Contains(t, planes[i], fmt.Sprintf("%s (0x%08x):\n", fourcc.DRMName(fm.Format), uint32(fm.Format)), "plane %d", i)
				}
			}

			conns := sections(text, "Connector")
			if p.Writeback.Present {
				last := conns[len(conns)-1]
				assert.Contains(t, last, "Type: Writeback\n")
				assert.Contains(t, last, `"WRITEBACK_PIXEL_FORMATS" (immutable): blob = `)
				for _, f := range p.Writeback.Formats {
					assert.Contains(t, last, fmt.Sprintf("───%s (0x%08x)\n", fourcc.DRMName(f), uint32(f)))
				}
			} else {
				assert.NotContains(t, text, "Type: Writeback")
			}
			for i, c := range p.Connectors {
				assert.Contains(t, conns[i], "Type: Virtual\n")
				assert.Contains(t, conns[i], "Name: "+c.Name+"\n")
				assert.Equal(t, len(c.Modes), strings.Count(conns[i], "@"), "modes of %s", c.Name)
			}
		})
	}
}

func TestKMSDumpKeyLines(t *testing.T) {
	intel := sections(dumpText(t, "intel-like"), "Plane")
	var primary, overlay string
	for _, s := range intel {
		switch {
		case primary == "" && strings.Contains(s, "Type: Primary\n"):
			primary = s
		case overlay == "" && strings.Contains(s, "Type: Overlay\n"):
			overlay = s
		}
	}
	require.NotEmpty(t, primary)
	require.NotEmpty(t, overlay)
	ccs := "INTEL_Y_TILED_CCS (0x0100000000000004)"
	assert.Contains(t, primary, ccs, "CCS scans out on the primary")
	assert.NotContains(t, overlay, ccs, "no CCS on an overlay")
	assert.Contains(t, overlay, "INTEL_Y_TILED (0x0100000000000002)")

	exynos := dumpText(t, "exynos-like")
	var video string
	for _, s := range sections(exynos, "Plane") {
		if strings.Contains(s, "Type: Overlay\n") && strings.Contains(s, "NV12 (0x3231564e):\n") {
			video = s
		}
	}
	require.NotEmpty(t, video, "exynos-like has an NV12 overlay")
	assert.Contains(t, video, "SAMSUNG_64_32_TILE (0x0400000000000001)")
	assert.Equal(t, "SAMSUNG_64_32_TILE", "SAMSUNG_"+modifier.Name(modifier.Samsung64x32Tile))

	// rcar-like: every plane has the upstream rcar-du colorkey and our
	// colorkey_alpha extension; overlays have rcar-du's mutable zpos 1..4.
	rcar := sections(dumpText(t, "rcar-like"), "Plane")
	require.Len(t, rcar, 5)
	for i, s := range rcar {
		assert.Contains(t, s, `"colorkey": range [0, 33554431] = 0`+"\n", "plane %d", i)
		assert.Contains(t, s, `"colorkey_alpha": range [0, UINT8_MAX] = 0`+"\n", "plane %d", i)
		if i > 0 {
			assert.Contains(t, s, `"zpos": range [1, 4] = 1`+"\n", "plane %d", i)
		}
	}

	// Exact lines, prefixes included: the tree layout is part of the output.
	vkms := dumpText(t, "vkms")
	for _, line := range []string{
		"├───Connectors",
		"│   ├───Connector 0",
		"│   │   ├───Type: Virtual",
		"│   │   ├───Status: connected",
		"│   │   └───Properties",
		`│   │       └───"CRTC_ID" (atomic): object CRTC = 0`,
		"├───Encoders",
		"└───Planes",
		"    ├───Plane 0",
		"    │   ├───Type: Primary",
		`    │       ├───"type" (immutable): enum {Overlay, Primary, Cursor} = Primary`,
		`    │       ├───"FB_ID" (atomic): object framebuffer = 0`,
		`    │       ├───"IN_FENCE_FD" (atomic): srange [-1, INT32_MAX] = -1`,
		`    │       ├───"CRTC_X" (atomic): srange [INT32_MIN, INT32_MAX] = 0`,
		`    │       ├───"SRC_W" (atomic): range [0, UINT32_MAX] = 0`,
		"    │       │   ├───XRGB8888 (0x34325258):",
		"    │       │   │   └───LINEAR (0x0000000000000000)",
	} {
		assert.Contains(t, "\n"+vkms, "\n"+line+"\n")
	}
	assert.Contains(t, "\n"+exynos, "\n    │       │   │   └───SAMSUNG_64_32_TILE (0x0400000000000001)\n")
}

// jsonDump is the JSON document as a consumer reads it, declared apart from
// the command's own types so a renamed field breaks this test.
type jsonDump struct {
	Driver struct {
		Name string `json:"name"`
		Desc string `json:"desc"`
		Caps []struct {
			Name  string `json:"name"`
			Value uint64 `json:"value"`
		} `json:"caps"`
	} `json:"driver"`
	Connectors []struct {
		ID       uint32 `json:"id"`
		TypeName string `json:"type_name"`
		Props    []struct {
			Name    string `json:"name"`
			Formats []struct {
				Name  string `json:"name"`
				Value uint32 `json:"value"`
			} `json:"writeback_pixel_formats"`
		} `json:"properties"`
		Modes []struct {
			HDisplay uint16 `json:"hdisplay"`
		} `json:"modes"`
	} `json:"connectors"`
	CRTCs  []struct{ ID uint32 } `json:"crtcs"`
	Planes []struct {
		ID         uint32 `json:"id"`
		Type       string `json:"type"`
		Properties []struct {
			Name      string `json:"name"`
			Type      string `json:"type"`
			RawValue  uint64 `json:"raw_value"`
			InFormats []struct {
				Format    string `json:"format"`
				Value     uint32 `json:"value"`
				Modifiers []struct {
					Name   string `json:"name"`
					Vendor string `json:"vendor"`
					Value  uint64 `json:"value"`
					Hex    string `json:"hex"`
				} `json:"modifiers"`
			} `json:"in_formats"`
		} `json:"properties"`
	} `json:"planes"`
}

func TestKMSDumpJSONInFormats(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			p, err := profile.Load(name)
			require.NoError(t, err)
			d, err := newDumpDevice(p)
			require.NoError(t, err)
			defer d.Close()
			byID := map[uint32]*device.Plane{}
			for _, pl := range d.Planes() {
				byID[pl.ID()] = pl
			}

			code, stdout, stderr := runCmd(t, "kms", "dump", "--profile", name, "--json")
			require.Equal(t, exitOK, code, stderr)
			var doc jsonDump
			require.NoError(t, json.Unmarshal([]byte(stdout), &doc))

			assert.Equal(t, "headway-"+name, doc.Driver.Name)
			assert.Equal(t, p.Description, doc.Driver.Desc)
			assert.Len(t, doc.Connectors, len(d.Connectors()))
			assert.Len(t, doc.CRTCs, len(d.CRTCs()))
			var wbFormats []fourcc.Format
			for _, c := range doc.Connectors {
				for _, pr := range c.Props {
					if pr.Name != "WRITEBACK_PIXEL_FORMATS" {
						continue
					}
					assert.Equal(t, "Writeback", c.TypeName)
					for _, f := range pr.Formats {
						assert.Equal(t, fourcc.DRMName(fourcc.Format(f.Value)), f.Name)
						wbFormats = append(wbFormats, fourcc.Format(f.Value))
					}
				}
			}
			if p.Writeback.Present {
				assert.Equal(t, p.Writeback.Formats, wbFormats, "WRITEBACK_PIXEL_FORMATS")
			} else {
				assert.Empty(t, wbFormats)
			}
			require.Len(t, doc.Planes, len(d.Planes()))
			for _, jp := range doc.Planes {
				pl := byID[jp.ID]
				require.NotNil(t, pl, "plane %d", jp.ID)
				assert.Equal(t, pl.Type().String(), jp.Type)
				found := false
				for _, prop := range jp.Properties {
					if prop.Name != "IN_FORMATS" {
						continue
					}
					found = true
					assert.Equal(t, "blob", prop.Type)
					assert.NotZero(t, prop.RawValue)
					var got []profile.FormatModifiers
					for _, f := range prop.InFormats {
						assert.Equal(t, fourcc.DRMName(fourcc.Format(f.Value)), f.Format)
						fm := profile.FormatModifiers{Format: fourcc.Format(f.Value)}
						for _, m := range f.Modifiers {
							mod := modifier.Modifier(m.Value)
							assert.Equal(t, modifier.Name(mod), m.Name)
							assert.Equal(t, modifier.VendorName(mod), m.Vendor)
							hex, err := strconv.ParseUint(strings.TrimPrefix(m.Hex, "0x"), 16, 64)
							require.NoError(t, err)
							assert.Equal(t, m.Value, hex)
							fm.Modifiers = append(fm.Modifiers, mod)
						}
						got = append(got, fm)
					}
					assert.Equal(t, pl.Profile().Formats, got, "plane %d IN_FORMATS", jp.ID)
				}
				assert.True(t, found, "plane %d has IN_FORMATS", jp.ID)
			}
		})
	}
}

func TestKMSDumpDeterministic(t *testing.T) {
	for _, name := range profile.Names() {
		for _, extra := range [][]string{nil, {"--json"}} {
			args := append([]string{"kms", "dump", "--profile", name}, extra...)
			_, first, _ := runCmd(t, args...)
			_, second, _ := runCmd(t, args...)
			require.NotEmpty(t, first)
			assert.True(t, bytes.Equal([]byte(first), []byte(second)), "%v differs between runs", args)
		}
	}
}

func TestKMSUsageAndErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr []string
	}{
		{"no subcommand", []string{"kms"}, exitUsage, []string{"missing subcommand", "headway kms dump --profile NAME"}},
		{"unknown subcommand", []string{"kms", "frob"}, exitUsage, []string{`unknown subcommand "frob"`}},
		{"no profile", []string{"kms", "dump"}, exitUsage, []string{"usage:"}},
		{"extra argument", []string{"kms", "dump", "--profile", "vkms", "extra"}, exitUsage, []string{"usage:"}},
		{"bad flag", []string{"kms", "dump", "--frob"}, exitUsage, []string{"flag provided but not defined: -frob"}},
		{"unknown profile", []string{"kms", "dump", "--profile", "amd-like"}, exitFailure,
			append([]string{`unknown profile "amd-like"`}, profile.Names()...)},
		{"unknown profile json", []string{"kms", "dump", "--profile", "", "--json"}, exitUsage, []string{"usage:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, stdout, "errors go to stderr only")
			for _, s := range tt.inStderr {
				assert.Contains(t, stderr, s)
			}
		})
	}
}

func TestKMSPrintPropertyForms(t *testing.T) {
	u := func(v uint64) *uint64 { return &v }
	tests := []struct {
		name string
		prop kmsProperty
		want string
	}{
		{"enum without a name for the value", kmsProperty{Name: "e", Type: "enum", RawValue: 7,
			Enums: []kmsEnum{{"A", 0}, {"B", 1}}}, `"e": enum {A, B} = invalid (7)`},
		{"bitmask with two bits", kmsProperty{Name: "rotation", Type: "bitmask", RawValue: 0b10001,
			Enums: []kmsEnum{{"rotate-0", 0}, {"reflect-x", 4}}, Bits: []string{"rotate-0", "reflect-x"}},
			`"rotation": bitmask {rotate-0, reflect-x} = (rotate-0 | reflect-x)`},
		{"range with plain limits", kmsProperty{Name: "zpos", Type: "range", Atomic: true, Immutable: true,
			Min: u(2), Max: u(2), RawValue: 2}, `"zpos" (atomic, immutable): range [2, 2] = 2`},
		{"unknown type", kmsProperty{Name: "x", Type: "unknown", Flags: 0x40000, RawValue: 3},
			`"x": unknown type (0x40000) = 3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := &treeNode{}
			addProperty(root, &tt.prop)
			require.Len(t, root.children, 1)
			assert.Equal(t, tt.want, root.children[0].text)
		})
	}
	assert.Equal(t, "{}", bitmaskString(0))
	assert.Equal(t, "{0, 2, 31}", bitmaskString(1|4|1<<31))
	assert.Equal(t, "INT64_MIN", signedLimit(-1<<63))
	assert.Equal(t, "UINT16_MAX", signedLimit(65535))
	assert.Equal(t, "-5", signedLimit(-5))

	// An empty dump still prints a well-formed tree and does not panic.
	var buf bytes.Buffer
	printKMSDump(&buf, &kmsDump{Node: "x"})
	assert.Equal(t, "Node: x\n├───Driver:  ()\n├───Connectors\n├───Encoders\n├───CRTCs\n└───Planes\n", buf.String())
}

// A CRTC with a mode shows its MODE_ID blob decoded, as drm_info prints the
// mode under the property.
func TestKMSDumpModeIDDecoded(t *testing.T) {
	p, err := profile.Load("vkms")
	require.NoError(t, err)
	d, err := newDumpDevice(p)
	require.NoError(t, err)
	defer d.Close()
	f := d.Open()
	defer f.Close()
	require.NoError(t, f.SetClientCap(device.ClientCapAtomic, 1))

	conn := d.Connectors()[0]
	mode := conn.Modes()[0]
	blob, err := f.CreateBlob(mode.Append(nil))
	require.NoError(t, err)
	crtc := d.CRTCs()[0]
	var req device.Request
	req.Add(crtc.ID(), crtc.PropertyID("ACTIVE"), 1)
	req.Add(crtc.ID(), crtc.PropertyID("MODE_ID"), uint64(blob))
	req.Add(conn.ID(), conn.PropertyID("CRTC_ID"), uint64(crtc.ID()))
	// NONBLOCK: the software state changes at once; nothing advances the
	// virtual clock, so the commit never has to flip for this test.
	require.NoError(t, f.Commit(t.Context(), &req, device.AtomicAllowModeset|device.AtomicNonblock, 0))

	props, err := dumpProperties(d, f, crtc.ID(), device.ObjectCRTC)
	require.NoError(t, err)
	var modeID *kmsProperty
	for i := range props {
		if props[i].Name == "MODE_ID" {
			modeID = &props[i]
		}
	}
	require.NotNil(t, modeID)
	require.NotNil(t, modeID.Mode, "MODE_ID decoded")
	assert.Equal(t, mode.String(), modeID.Mode.Formatted)
	assert.Equal(t, mode.HDisplay, modeID.Mode.HDisplay)

	root := &treeNode{}
	addProperty(root, modeID)
	require.Len(t, root.children, 1)
	assert.Equal(t, fmt.Sprintf(`"MODE_ID" (atomic): blob = %d`, blob), root.children[0].text)
	require.Len(t, root.children[0].children, 1)
	assert.Equal(t, mode.String(), root.children[0].children[0].text)
}

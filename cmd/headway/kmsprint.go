package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Box-drawing pieces of drm_info's tree: a branch that has siblings below
// it, the last branch, and the continuation lines under each.
const (
	treeBranch = "├───"
	treeLast   = "└───"
	treeLine   = "│   "
	treeGap    = "    "
)

// treeNode is one line of the text dump and the lines nested under it.
type treeNode struct {
	text     string
	children []*treeNode
}

func (n *treeNode) add(format string, args ...any) *treeNode {
	c := &treeNode{text: fmt.Sprintf(format, args...)}
	n.children = append(n.children, c)
	return c
}

// render writes n's children under prefix; n itself is written by the
// caller, so the root has no branch of its own, as drm_info's "Node:" line.
func (n *treeNode) render(w *bufio.Writer, prefix string) {
	for i, c := range n.children {
		branch, cont := treeBranch, treeLine
		if i == len(n.children)-1 {
			branch, cont = treeLast, treeGap
		}
		w.WriteString(prefix)
		w.WriteString(branch)
		w.WriteString(c.text)
		w.WriteByte('\n')
		c.render(w, prefix+cont)
	}
}

// printKMSDump prints d as drm_info's tree: Driver, Connectors, Encoders,
// CRTCs, Planes, each object with its properties last.
func printKMSDump(w io.Writer, d *kmsDump) {
	root := &treeNode{text: "Node: " + d.Node}

	drv := root.add("Driver: %s (%s)", d.Driver.Name, d.Driver.Desc)
	for _, c := range d.Driver.ClientCaps {
		s := "not supported"
		if c.Supported {
			s = "supported"
		}
		drv.add("DRM_CLIENT_CAP_%s %s", c.Name, s)
	}
	for _, c := range d.Driver.Caps {
		drv.add("DRM_CAP_%s = %d", c.Name, c.Value)
	}

	encIndex := make(map[uint32]int, len(d.Encoders))
	for i, e := range d.Encoders {
		encIndex[e.ID] = i
	}
	conns := root.add("Connectors")
	for i, c := range d.Connectors {
		n := conns.add("Connector %d", i)
		n.add("Object ID: %d", c.ID)
		n.add("Name: %s", c.Name)
		n.add("Type: %s", c.TypeName)
		n.add("Status: %s", c.Status)
		if c.Status != "disconnected" {
			n.add("Physical size: %dx%d mm", c.MMWidth, c.MMHeight)
		}
		idx := make([]string, len(c.Encoders))
		for j, id := range c.Encoders {
			if k, ok := encIndex[id]; ok {
				idx[j] = strconv.Itoa(k)
			} else {
				idx[j] = "-1" // an encoder the file cannot see, as drm_info prints it
			}
		}
		n.add("Encoders: {%s}", strings.Join(idx, ", "))
		if len(c.Modes) > 0 {
			ms := n.add("Modes")
			for _, m := range c.Modes {
				ms.add("%s", m.Formatted)
			}
		}
		addProperties(n, c.Props)
	}

	encs := root.add("Encoders")
	for i, e := range d.Encoders {
		n := encs.add("Encoder %d", i)
		n.add("Object ID: %d", e.ID)
		n.add("Type: %s", e.TypeName)
		n.add("CRTCS: %s", bitmaskString(e.PossibleCRTCs))
	}

	crtcs := root.add("CRTCs")
	for i, c := range d.CRTCs {
		n := crtcs.add("CRTC %d", i)
		n.add("Object ID: %d", c.ID)
		n.add("Gamma size: %d", c.GammaSize)
		addProperties(n, c.Props)
	}

	planes := root.add("Planes")
	for i, p := range d.Planes {
		n := planes.add("Plane %d", i)
		n.add("Object ID: %d", p.ID)
		n.add("Type: %s", p.Type)
		n.add("CRTCs: %s", bitmaskString(p.PossibleCRTCs))
		fs := n.add("Formats:")
		for _, f := range p.Formats {
			fs.add("%s (0x%08x)", f.Name, f.Value)
		}
		addProperties(n, p.Props)
	}

	bw := bufio.NewWriter(w)
	bw.WriteString(root.text)
	bw.WriteByte('\n')
	root.render(bw, "")
	bw.Flush()
}

func addProperties(parent *treeNode, props []kmsProperty) {
	n := parent.add("Properties")
	for i := range props {
		addProperty(n, &props[i])
	}
}

// addProperty writes one property the way drm_info does:
// "NAME" (atomic, immutable): TYPE SPEC = VALUE, decoded blobs below it.
func addProperty(parent *treeNode, p *kmsProperty) {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", p.Name)
	switch {
	case p.Atomic && p.Immutable:
		b.WriteString(" (atomic, immutable)")
	case p.Atomic:
		b.WriteString(" (atomic)")
	case p.Immutable:
		b.WriteString(" (immutable)")
	}
	b.WriteString(": ")
	switch p.Type {
	case "range":
		if p.Min != nil && p.Max != nil {
			fmt.Fprintf(&b, "range [%s, %s] = %d", unsignedLimit(*p.Min), unsignedLimit(*p.Max), p.RawValue)
		} else {
			fmt.Fprintf(&b, "range = %d", p.RawValue)
		}
	case "signed range":
		v := int64(p.RawValue)
		if p.SignedMin != nil && p.SignedMax != nil {
			fmt.Fprintf(&b, "srange [%s, %s] = %d", signedLimit(*p.SignedMin), signedLimit(*p.SignedMax), v)
		} else {
			fmt.Fprintf(&b, "srange = %d", v)
		}
	case "enum":
		fmt.Fprintf(&b, "enum {%s} = ", enumNames(p.Enums))
		if p.EnumValue != "" {
			b.WriteString(p.EnumValue)
		} else {
			fmt.Fprintf(&b, "invalid (%d)", p.RawValue)
		}
	case "bitmask":
		fmt.Fprintf(&b, "bitmask {%s} = (%s)", enumNames(p.Enums), strings.Join(p.Bits, " | "))
	case "object":
		fmt.Fprintf(&b, "object %s = %d", p.Object, p.RawValue)
	case "blob":
		fmt.Fprintf(&b, "blob = %d", p.RawValue)
	default:
		fmt.Fprintf(&b, "unknown type (0x%x) = %d", p.Flags, p.RawValue)
	}
	n := parent.add("%s", b.String())

	// One line per format with its modifiers below it: the format-major
	// view of the blob. A flat comma-separated list would be ambiguous,
	// since NVIDIA and AMD modifier names contain commas.
	for _, f := range p.InFormats {
		fn := n.add("%s (0x%08x):", f.Format, f.Value)
		for _, m := range f.Modifiers {
			fn.add("%s (%s)", qualifiedModifier(m), m.Hex)
		}
	}
	for _, f := range p.WritebackFormats {
		n.add("%s (0x%08x)", f.Name, f.Value)
	}
	if p.Mode != nil {
		n.add("%s", p.Mode.Formatted)
	}
}

func enumNames(es []kmsEnum) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	return strings.Join(names, ", ")
}

// unsignedLimit and signedLimit name the C limits drm_info names, so a
// range such as IN_FENCE_FD's reads [-1, INT32_MAX] as it does there.
func unsignedLimit(v uint64) string {
	switch v {
	case math.MaxInt8:
		return "INT8_MAX"
	case math.MaxUint8:
		return "UINT8_MAX"
	case math.MaxInt16:
		return "INT16_MAX"
	case math.MaxUint16:
		return "UINT16_MAX"
	case math.MaxInt32:
		return "INT32_MAX"
	case math.MaxUint32:
		return "UINT32_MAX"
	case math.MaxInt64:
		return "INT64_MAX"
	case math.MaxUint64:
		return "UINT64_MAX"
	}
	return strconv.FormatUint(v, 10)
}

func signedLimit(v int64) string {
	switch v {
	case math.MinInt8:
		return "INT8_MIN"
	case math.MinInt16:
		return "INT16_MIN"
	case math.MinInt32:
		return "INT32_MIN"
	case math.MinInt64:
		return "INT64_MIN"
	}
	if v >= 0 {
		if s := unsignedLimit(uint64(v)); s != strconv.FormatUint(uint64(v), 10) {
			return s
		}
	}
	return strconv.FormatInt(v, 10)
}

// bitmaskString prints a mask of indices as drm_info does: {0, 2}.
func bitmaskString(mask uint32) string {
	var parts []string
	for i := 0; i < 32; i++ {
		if mask&(1<<i) != 0 {
			parts = append(parts, strconv.Itoa(i))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// qualifiedModifier prefixes libdrm's modifier name with its vendor, as
// "SAMSUNG_64_32_TILE", since libdrm's bare names repeat across vendors;
// the vendor-less values (LINEAR, INVALID) keep their bare name. This is
// the vendor-qualified form modifiers/modifier parses back.
func qualifiedModifier(m kmsModifier) string {
	if m.Vendor == "" || m.Vendor == "NONE" {
		return m.Name
	}
	return m.Vendor + "_" + m.Name
}

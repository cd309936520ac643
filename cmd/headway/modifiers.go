package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
)

const modifiersUsage = `headway modifiers name VALUE...
headway modifiers parse NAME...
headway modifiers layout --format FORMAT --modifier MODIFIER --size WxH [--json]

VALUE and NAME are hex (0x0100000000000002), C macro names
(I915_FORMAT_MOD_Y_TILED) or vendor-qualified libdrm names (INTEL_Y_TILED).
name prints 0x%016x<TAB>VENDOR<TAB>NAME per value, as libdrm names it.`

func init() {
	register(&command{
		name:    "modifiers",
		summary: "name, parse and lay out DRM format modifiers",
		usage:   modifiersUsage,
		run:     runModifiers,
	})
}

func runModifiers(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage:\n%s\n", modifiersUsage)
		return exitUsage
	}
	switch args[0] {
	case "name":
		return eachArg("modifiers name", args[1:], stdout, stderr, func(s string) (string, error) {
			m, err := modifier.Parse(s)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("0x%016x\t%s\t%s", uint64(m), modifier.VendorName(m), modifier.Name(m)), nil
		})
	case "parse":
		return eachArg("modifiers parse", args[1:], stdout, stderr, func(s string) (string, error) {
			m, err := modifier.Parse(s)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("0x%016x", uint64(m)), nil
		})
	case "layout":
		return runModifiersLayout(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "headway modifiers: unknown subcommand %q\nusage:\n%s\n", args[0], modifiersUsage)
		return exitUsage
	}
}

// eachArg applies f to every argument, printing one line per success and
// one error per failure, so one bad value does not hide the answers for the
// others; the exit status still reports the failure.
func eachArg(cmd string, args []string, stdout, stderr io.Writer, f func(string) (string, error)) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage: headway %s VALUE...\n", cmd)
		return exitUsage
	}
	code := exitOK
	for _, a := range args {
		line, err := f(a)
		if err != nil {
			fmt.Fprintf(stderr, "headway %s: %v\n", cmd, err)
			code = exitFailure
			continue
		}
		fmt.Fprintln(stdout, line)
	}
	return code
}

func runModifiersLayout(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("modifiers layout", stderr)
	formatName := fs.String("format", "", "DRM format: XRGB8888, XR24, DRM_FORMAT_NV12 or 0x3231564e")
	modName := fs.String("modifier", "LINEAR", "format modifier: a name or a hex value")
	size := fs.String("size", "", "buffer size in pixels, WIDTHxHEIGHT")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 || *formatName == "" || *size == "" {
		fmt.Fprintln(stderr, "usage: headway modifiers layout --format FORMAT --modifier MODIFIER --size WxH [--json]")
		return exitUsage
	}
	w, h, err := parseSize(*size)
	if err != nil {
		fmt.Fprintf(stderr, "headway modifiers layout: %v\n", err)
		return exitUsage
	}
	f, err := fourcc.Parse(*formatName)
	if err != nil {
		fmt.Fprintf(stderr, "headway modifiers layout: %v\n", err)
		return exitFailure
	}
	info, ok := fourcc.Lookup(f)
	if !ok {
		fmt.Fprintf(stderr, "headway modifiers layout: format %s has no layout in the format table\n", fourcc.LibdrmName(f))
		return exitFailure
	}
	m, err := modifier.Parse(*modName)
	if err != nil {
		fmt.Fprintf(stderr, "headway modifiers layout: %v\n", err)
		return exitFailure
	}
	l, err := layout.Compute(info, m, w, h)
	if err != nil {
		fmt.Fprintf(stderr, "headway modifiers layout: %v\n", err)
		return exitFailure
	}
	if *asJSON {
		return writeJSON(stdout, stderr, layoutJSON(info, l))
	}
	fmt.Fprintf(stdout, "%s (%s) %dx%d, modifier 0x%016x %s %s\n",
		info.Name, fourcc.LibdrmName(f), w, h, uint64(m), modifier.VendorName(m), modifier.Name(m))
	fmt.Fprintf(stdout, "%d memory planes, %d bytes in one object\n", len(l.Planes), l.Size)
	for i, p := range l.Planes {
		fmt.Fprintf(stdout, "  plane %d: %-12s offset %-9d stride %-6d rows %-5d size %-9d (stride multiple of %d, offset aligned to %d, rows rounded to %d)\n",
			i, kindLabel(p), p.Offset, p.Stride, p.Rows, p.Size, p.StrideMultiple, p.OffsetAlign, p.HeightAlign)
	}
	return exitOK
}

func kindLabel(p layout.PlaneLayout) string {
	if p.Kind == layout.Color {
		return fmt.Sprintf("colour %d", p.Main)
	}
	return fmt.Sprintf("%s of %d", p.Kind, p.Main)
}

type planeJSON struct {
	Kind           string `json:"kind"`
	Main           int    `json:"main"`
	Offset         uint32 `json:"offset"`
	Stride         uint32 `json:"stride"`
	Rows           uint32 `json:"rows"`
	Size           uint64 `json:"size"`
	StrideAlign    uint32 `json:"stride_align"`
	StrideMultiple uint32 `json:"stride_multiple"`
	OffsetAlign    uint32 `json:"offset_align"`
	HeightAlign    uint32 `json:"height_align"`
}

type layoutOut struct {
	Format       string      `json:"format"`
	FourCC       string      `json:"fourcc"`
	Modifier     string      `json:"modifier"`
	Vendor       string      `json:"vendor"`
	ModifierName string      `json:"modifier_name"`
	Width        uint32      `json:"width"`
	Height       uint32      `json:"height"`
	Size         uint64      `json:"size"`
	Planes       []planeJSON `json:"planes"`
}

func layoutJSON(info fourcc.Info, l layout.Layout) layoutOut {
	out := layoutOut{
		Format:       info.Name,
		FourCC:       fourcc.LibdrmName(info.Format),
		Modifier:     fmt.Sprintf("0x%016x", uint64(l.Modifier)),
		Vendor:       modifier.VendorName(l.Modifier),
		ModifierName: modifier.Name(l.Modifier),
		Width:        l.Width,
		Height:       l.Height,
		Size:         l.Size,
		Planes:       make([]planeJSON, len(l.Planes)),
	}
	for i, p := range l.Planes {
		out.Planes[i] = planeJSON{
			Kind: p.Kind.String(), Main: p.Main, Offset: p.Offset, Stride: p.Stride,
			Rows: p.Rows, Size: p.Size, StrideAlign: p.StrideAlign,
			StrideMultiple: p.StrideMultiple, OffsetAlign: p.OffsetAlign, HeightAlign: p.HeightAlign,
		}
	}
	return out
}

// parseSize reads WIDTHxHEIGHT with both parts positive 32-bit values.
func parseSize(s string) (w, h uint32, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, 0, fmt.Errorf("size %q: want WIDTHxHEIGHT", s)
	}
	wv, err1 := strconv.ParseUint(ws, 10, 32)
	hv, err2 := strconv.ParseUint(hs, 10, 32)
	if err1 != nil || err2 != nil || wv == 0 || hv == 0 {
		return 0, 0, fmt.Errorf("size %q: width and height must be integers from 1 to %d", s, uint32(1<<32-1))
	}
	return uint32(wv), uint32(hv), nil
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "headway: writing JSON: %v\n", err)
		return exitFailure
	}
	return exitOK
}

package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

const formatsUsage = `headway formats [--json]
headway formats name VALUE...

The first form prints the DRM format table. name prints
0x%08x<TAB>FOURCC_NAME<TAB>DRM_NAME per value, FOURCC_NAME exactly as
libdrm's drmGetFormatName prints it.`

func init() {
	register(&command{
		name:    "formats",
		summary: "print the DRM fourcc format table, or name format codes",
		usage:   formatsUsage,
		run:     runFormats,
	})
}

func runFormats(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "name" {
		return eachArg("formats name", args[1:], stdout, stderr, func(s string) (string, error) {
			f, err := parseFormatValue(s)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("0x%08x\t%s\t%s", uint32(f), fourcc.LibdrmName(f), fourcc.DRMName(f)), nil
		})
	}
	fs := newFlagSet("formats", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "usage:\n%s\n", formatsUsage)
		return exitUsage
	}
	all := fourcc.All()
	if *asJSON {
		return writeJSON(stdout, stderr, all)
	}
	fmt.Fprintf(stdout, "%-10s  %-8s  %-22s  %-5s  %-6s  %-14s  %-9s  %s\n",
		"FOURCC", "CODE", "NAME", "DEPTH", "PLANES", "BYTES/BLOCK", "BLOCK", "SUB  FLAGS")
	for _, in := range all {
		fmt.Fprintf(stdout, "%-10s  %08x  %-22s  %-5d  %-6d  %-14s  %-9s  %dx%d  %s\n",
			in.FourCC, uint32(in.Format), in.Name, in.Depth, in.NumPlanes,
			perPlane(in, func(p int) int { return int(in.CharPerBlock[p]) }),
			perPlane(in, func(p int) int { return in.BlockWidth(p) })+"/"+perPlane(in, func(p int) int { return in.BlockHeight(p) }),
			in.HSub, in.VSub, flags(in))
	}
	return exitOK
}

func perPlane(in fourcc.Info, f func(int) int) string {
	parts := make([]string, in.NumPlanes)
	for p := range parts {
		parts[p] = strconv.Itoa(f(p))
	}
	return strings.Join(parts, ",")
}

func flags(in fourcc.Info) string {
	var fl []string
	if in.IsYUV {
		fl = append(fl, "yuv")
	} else {
		fl = append(fl, "rgb")
	}
	if in.HasAlpha {
		fl = append(fl, "alpha")
	}
	if in.IsColorIndexed {
		fl = append(fl, "indexed")
	}
	return strings.Join(fl, ",")
}

// parseFormatValue reads a format by name or hex value; bare hex digits
// ("0", "34325258") are accepted too, after names, since codes such as C8
// and AB24 are names first.
func parseFormatValue(s string) (fourcc.Format, error) {
	f, err := fourcc.Parse(s)
	if err == nil {
		return f, nil
	}
	if v, herr := strconv.ParseUint(s, 16, 32); herr == nil {
		return fourcc.Format(v), nil
	}
	return 0, err
}

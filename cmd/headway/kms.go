package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"syscall"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

var kmsUsage = `headway kms dump --profile NAME [--json]

dump builds the fake KMS device of a built-in profile and prints what
drm_info prints for a real device: driver and capabilities, connectors,
encoders, CRTCs and planes with every property; IN_FORMATS is decoded into
formats and their modifiers. --json prints the same as a JSON document.
Profiles: ` + strings.Join(profile.Names(), ", ")

func init() {
	register(&command{
		name:    "kms",
		summary: "inspect the fake KMS device of a profile (drm_info-like dump)",
		usage:   kmsUsage,
		run:     runKMS,
	})
}

func runKMS(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "headway kms: missing subcommand\nusage:\n%s\n", kmsUsage)
		return exitUsage
	}
	switch args[0] {
	case "dump":
		return runKMSDump(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "headway kms: unknown subcommand %q\nusage:\n%s\n", args[0], kmsUsage)
		return exitUsage
	}
}

func runKMSDump(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("kms dump", stderr)
	name := fs.String("profile", "", "built-in device profile ("+strings.Join(profile.Names(), ", ")+")")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 || *name == "" {
		fmt.Fprintf(stderr, "usage:\n%s\n", kmsUsage)
		return exitUsage
	}
	p, err := profile.Load(*name)
	if err != nil {
		if errors.Is(err, profile.ErrUnknownProfile) {
			fmt.Fprintf(stderr, "headway kms dump: unknown profile %q; profiles: %s\n",
				*name, strings.Join(profile.Names(), ", "))
		} else {
			fmt.Fprintf(stderr, "headway kms dump: %v\n", err)
		}
		return exitFailure
	}
	dump, err := dumpProfile(p)
	if err != nil {
		fmt.Fprintf(stderr, "headway kms dump: %v\n", err)
		return exitFailure
	}
	if *asJSON {
		return writeJSON(stdout, stderr, dump)
	}
	printKMSDump(stdout, dump)
	return exitOK
}

// newDumpDevice builds the device a dump describes: a virtual clock (nothing
// ever advances it, so nothing changes while we look) at the period of the
// first connector's preferred mode, and no composer, since a dump composes
// nothing.
func newDumpDevice(p *profile.Profile) (*device.Device, error) {
	period := int64(16_666_667) // 60 Hz, for a profile without modes
	if m, ok := preferredMode(p); ok {
		mi, err := modeinfo.FromProfile(m)
		if err != nil {
			return nil, fmt.Errorf("profile %s: preferred mode: %w", p.Name, err)
		}
		if period, err = mi.Period(); err != nil {
			return nil, fmt.Errorf("profile %s: preferred mode period: %w", p.Name, err)
		}
	}
	clock, err := vblank.NewVirtual(period)
	if err != nil {
		return nil, fmt.Errorf("profile %s: vblank clock: %w", p.Name, err)
	}
	d, err := device.New(device.Config{
		Profile: p,
		Clock:   clock,
		// The device's diagnostics are not part of the dump's output.
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", p.Name, err)
	}
	return d, nil
}

func preferredMode(p *profile.Profile) (profile.Mode, bool) {
	for _, c := range p.Connectors {
		for _, m := range c.Modes {
			if m.Preferred {
				return m, true
			}
		}
		if len(c.Modes) > 0 {
			return c.Modes[0], true
		}
	}
	return profile.Mode{}, false
}

// The dump's data model. Text and JSON are both rendered from it, as
// drm_info prints its tree from its own JSON, so the two always carry the
// same information. Slices, not maps, keep drm_info's order.
type kmsDump struct {
	Node       string         `json:"node"`
	Driver     kmsDriver      `json:"driver"`
	Connectors []kmsConnector `json:"connectors"`
	Encoders   []kmsEncoder   `json:"encoders"`
	CRTCs      []kmsCRTC      `json:"crtcs"`
	Planes     []kmsPlane     `json:"planes"`
}

type kmsDriver struct {
	Name       string      `json:"name"`
	Desc       string      `json:"desc"`
	ClientCaps []clientCap `json:"client_caps"`
	Caps       []deviceCap `json:"caps"`
}

type clientCap struct {
	Name      string `json:"name"`
	Supported bool   `json:"supported"`
}

type deviceCap struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

type kmsConnector struct {
	ID       uint32        `json:"id"`
	Name     string        `json:"name"`
	Type     uint32        `json:"type"`
	TypeName string        `json:"type_name"`
	Status   string        `json:"status"`
	MMWidth  uint32        `json:"phy_width"`
	MMHeight uint32        `json:"phy_height"`
	Encoders []uint32      `json:"encoders"`
	Modes    []kmsMode     `json:"modes"`
	Props    []kmsProperty `json:"properties"`
}

type kmsMode struct {
	Name      string `json:"name"`
	HDisplay  uint16 `json:"hdisplay"`
	VDisplay  uint16 `json:"vdisplay"`
	Clock     uint32 `json:"clock"`
	VRefresh  uint32 `json:"vrefresh"`
	Flags     uint32 `json:"flags"`
	Type      uint32 `json:"type"`
	Formatted string `json:"formatted"` // modeinfo.Mode.String
}

type kmsEncoder struct {
	ID            uint32 `json:"id"`
	Type          uint32 `json:"type"`
	TypeName      string `json:"type_name"`
	PossibleCRTCs uint32 `json:"possible_crtcs"`
}

type kmsCRTC struct {
	ID        uint32        `json:"id"`
	GammaSize uint32        `json:"gamma_size"`
	Props     []kmsProperty `json:"properties"`
}

type kmsPlane struct {
	ID            uint32        `json:"id"`
	Type          string        `json:"type"`
	PossibleCRTCs uint32        `json:"possible_crtcs"`
	Formats       []kmsFormat   `json:"formats"`
	Props         []kmsProperty `json:"properties"`
}

type kmsFormat struct {
	Name  string `json:"name"`
	Value uint32 `json:"value"`
}

type kmsModifier struct {
	Name   string `json:"name"`   // modifier.Name: libdrm's name
	Vendor string `json:"vendor"` // modifier.VendorName
	Value  uint64 `json:"value"`
	// Hex repeats Value, since JSON readers that hold numbers in doubles
	// lose a modifier's vendor bits.
	Hex string `json:"hex"`
}

type kmsInFormat struct {
	Format    string        `json:"format"`
	Value     uint32        `json:"value"`
	Modifiers []kmsModifier `json:"modifiers"`
}

type kmsEnum struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"` // the value; for a bitmask, the bit index
}

// kmsProperty is one property of an object with its current value. Which
// of the optional fields are set depends on Type, as drm_info's "spec" and
// "data" do.
type kmsProperty struct {
	Name      string `json:"name"`
	ID        uint32 `json:"id"`
	Flags     uint32 `json:"flags"`
	Type      string `json:"type"`
	Atomic    bool   `json:"atomic"`
	Immutable bool   `json:"immutable"`
	RawValue  uint64 `json:"raw_value"`

	Min       *uint64   `json:"min,omitempty"`        // range
	Max       *uint64   `json:"max,omitempty"`        // range
	SignedMin *int64    `json:"signed_min,omitempty"` // srange
	SignedMax *int64    `json:"signed_max,omitempty"` // srange
	Signed    *int64    `json:"signed_value,omitempty"`
	Enums     []kmsEnum `json:"enums,omitempty"` // enum, bitmask
	// EnumValue is the current enum's name, "" when the value has none.
	EnumValue string   `json:"enum_value,omitempty"`
	Bits      []string `json:"bits,omitempty"` // bitmask: the set bits' names
	Object    string   `json:"object_type,omitempty"`

	// Decoded blobs.
	InFormats        []kmsInFormat `json:"in_formats,omitempty"`
	WritebackFormats []kmsFormat   `json:"writeback_pixel_formats,omitempty"`
	Mode             *kmsMode      `json:"mode,omitempty"`
}

// dumpClientCaps are the client caps drm_info tries, in its order. It sets
// each to 1 and reports whether the device accepted, so the file ends with
// every cap the device supports, which is what lets the dump see atomic
// properties and the writeback connector.
var dumpClientCaps = []struct {
	name string
	cap  uint64
}{
	{"STEREO_3D", device.ClientCapStereo3D},
	{"UNIVERSAL_PLANES", device.ClientCapUniversalPlanes},
	{"ATOMIC", device.ClientCapAtomic},
	{"ASPECT_RATIO", device.ClientCapAspectRatio},
	{"WRITEBACK_CONNECTORS", device.ClientCapWritebackConnectors},
}

// deviceCaps are the DRM_CAP_* answers of the fake device where they mean
// something for it. The device has no GET_CAP ioctl, so they are stated
// here from what it implements: dumb buffers and PRIME import exist,
// timestamps are CLOCK_MONOTONIC-like, async page flips are refused,
// AddFB2 takes modifiers, page-flip events on a CRTC being enabled are
// sent (CRTC_IN_VBLANK_EVENT), and the cursor size is the profile's.
func deviceCaps(p *profile.Profile) []deviceCap {
	return []deviceCap{
		{"DUMB_BUFFER", 1},
		{"PRIME", 1}, // DRM_PRIME_CAP_IMPORT
		{"TIMESTAMP_MONOTONIC", 1},
		{"ASYNC_PAGE_FLIP", 0},
		{"CURSOR_WIDTH", uint64(p.CRTCs.CursorWidth)},
		{"CURSOR_HEIGHT", uint64(p.CRTCs.CursorHeight)},
		{"ADDFB2_MODIFIERS", 1},
		{"CRTC_IN_VBLANK_EVENT", 1},
	}
}

// dumpProfile builds p's device, opens a file on it as drm_info does and
// reads every object through the uapi-shaped queries.
func dumpProfile(p *profile.Profile) (*kmsDump, error) {
	d, err := newDumpDevice(p)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	f := d.Open()
	defer f.Close()

	out := &kmsDump{
		Node: "headway:" + p.Name,
		Driver: kmsDriver{
			Name: "headway-" + p.Name,
			Desc: p.Description,
			Caps: deviceCaps(p),
		},
	}
	for _, c := range dumpClientCaps {
		ok := f.SetClientCap(c.cap, 1) == nil
		out.Driver.ClientCaps = append(out.Driver.ClientCaps, clientCap{c.name, ok})
	}

	res, err := f.Resources()
	if err != nil {
		return nil, fmt.Errorf("resources: %w", err)
	}
	for _, id := range res.Connectors {
		c, err := dumpConnector(d, f, id)
		if err != nil {
			return nil, err
		}
		out.Connectors = append(out.Connectors, c)
	}
	for _, id := range res.Encoders {
		e, err := d.EncoderInfo(id)
		if err != nil {
			return nil, fmt.Errorf("encoder %d: %w", id, err)
		}
		out.Encoders = append(out.Encoders, kmsEncoder{
			ID: e.ID, Type: e.Type, TypeName: encoderTypeName(e.Type), PossibleCRTCs: e.PossibleCRTCs,
		})
	}
	for _, id := range res.CRTCs {
		ci, err := d.CRTCInfo(id)
		if err != nil {
			return nil, fmt.Errorf("CRTC %d: %w", id, err)
		}
		props, err := dumpProperties(d, f, id, device.ObjectCRTC)
		if err != nil {
			return nil, err
		}
		out.CRTCs = append(out.CRTCs, kmsCRTC{ID: id, GammaSize: ci.GammaSize, Props: props})
	}
	planeIDs, err := f.PlaneIDs()
	if err != nil {
		return nil, fmt.Errorf("planes: %w", err)
	}
	for _, id := range planeIDs {
		pi, err := d.PlaneInfo(id)
		if err != nil {
			return nil, fmt.Errorf("plane %d: %w", id, err)
		}
		props, err := dumpProperties(d, f, id, device.ObjectPlane)
		if err != nil {
			return nil, err
		}
		pl := kmsPlane{ID: id, PossibleCRTCs: pi.PossibleCRTCs, Props: props}
		for _, pr := range props {
			if pr.Name == "type" {
				pl.Type = pr.EnumValue
			}
		}
		for _, fm := range pi.Formats {
			pl.Formats = append(pl.Formats, formatOf(fm))
		}
		out.Planes = append(out.Planes, pl)
	}
	return out, nil
}

func dumpConnector(d *device.Device, f *device.File, id uint32) (kmsConnector, error) {
	ci, err := d.ConnectorInfo(id)
	if err != nil {
		return kmsConnector{}, fmt.Errorf("connector %d: %w", id, err)
	}
	props, err := dumpProperties(d, f, id, device.ObjectConnector)
	if err != nil {
		return kmsConnector{}, err
	}
	c := kmsConnector{
		ID: ci.ID, Name: ci.Name, Type: ci.Type, TypeName: connectorTypeName(ci.Type),
		Status: connectionName(ci.Connection), MMWidth: ci.MMWidth, MMHeight: ci.MMHeight,
		Encoders: append([]uint32{}, ci.Encoders...), Modes: []kmsMode{}, Props: props,
	}
	for i := range ci.Modes {
		c.Modes = append(c.Modes, modeOf(&ci.Modes[i]))
	}
	return c, nil
}

func modeOf(m *modeinfo.Mode) kmsMode {
	return kmsMode{
		Name: m.NameString(), HDisplay: m.HDisplay, VDisplay: m.VDisplay,
		Clock: m.Clock, VRefresh: m.VRefresh, Flags: m.Flags, Type: m.Type,
		Formatted: m.String(),
	}
}

func formatOf(f fourcc.Format) kmsFormat {
	return kmsFormat{Name: fourcc.DRMName(f), Value: uint32(f)}
}

func modifierOf(m modifier.Modifier) kmsModifier {
	return kmsModifier{Name: modifier.Name(m), Vendor: modifier.VendorName(m), Value: uint64(m), Hex: fmt.Sprintf("0x%016x", uint64(m))}
}

func dumpProperties(d *device.Device, f *device.File, id uint32, t device.ObjectType) ([]kmsProperty, error) {
	pvs, err := f.ObjectProperties(id, t)
	if err != nil {
		return nil, fmt.Errorf("%s %d: properties: %w", t, id, err)
	}
	out := make([]kmsProperty, 0, len(pvs))
	for _, pv := range pvs {
		kp, err := dumpProperty(d, pv)
		if err != nil {
			return nil, fmt.Errorf("%s %d: %w", t, id, err)
		}
		out = append(out, kp)
	}
	return out, nil
}

func dumpProperty(d *device.Device, pv device.PropValue) (kmsProperty, error) {
	p := pv.Prop
	kp := kmsProperty{
		Name: p.Name(), ID: p.ID(), Flags: p.Flags(), Type: p.TypeName(),
		Atomic: p.Atomic(), Immutable: p.Immutable(), RawValue: pv.Value,
	}
	vals := p.Values()
	switch kp.Type {
	case "range":
		if len(vals) == 2 {
			kp.Min, kp.Max = &vals[0], &vals[1]
		}
	case "signed range":
		if len(vals) == 2 {
			lo, hi := int64(vals[0]), int64(vals[1])
			kp.SignedMin, kp.SignedMax = &lo, &hi
		}
		v := int64(pv.Value)
		kp.Signed = &v
	case "enum":
		kp.Enums = enumsOf(p)
		kp.EnumValue = p.EnumName(pv.Value)
	case "bitmask":
		kp.Enums = enumsOf(p)
		kp.Bits = []string{}
		for _, e := range kp.Enums {
			if e.Value < 64 && pv.Value&(1<<e.Value) != 0 {
				kp.Bits = append(kp.Bits, e.Name)
			}
		}
	case "object":
		if len(vals) == 1 {
			kp.Object = device.ObjectType(vals[0]).String()
		}
	case "blob":
		if pv.Value == 0 || pv.Value > 0xffffffff {
			break
		}
		if err := decodeBlob(d, &kp); err != nil {
			return kp, err
		}
	}
	return kp, nil
}

func enumsOf(p *device.Property) []kmsEnum {
	es := p.Enums()
	out := make([]kmsEnum, len(es))
	for i, e := range es {
		out[i] = kmsEnum{Name: e.Name, Value: e.Value}
	}
	return out
}

// decodeBlob decodes the blobs drm_info decodes, from their bytes as
// GETPROPBLOB returns them, so the dump shows what userspace would see.
func decodeBlob(d *device.Device, kp *kmsProperty) error {
	switch kp.Name {
	case "IN_FORMATS", "WRITEBACK_PIXEL_FORMATS", "MODE_ID":
	default:
		return nil
	}
	data, err := d.Blob(uint32(kp.RawValue))
	if err != nil {
		return fmt.Errorf("property %s: blob %d: %w", kp.Name, kp.RawValue, err)
	}
	switch kp.Name {
	case "IN_FORMATS":
		list, err := profile.DecodeInFormats(data)
		if err != nil {
			return fmt.Errorf("property IN_FORMATS: blob %d: %w", kp.RawValue, err)
		}
		kp.InFormats = make([]kmsInFormat, 0, len(list))
		for _, fm := range list {
			e := kmsInFormat{Format: fourcc.DRMName(fm.Format), Value: uint32(fm.Format), Modifiers: []kmsModifier{}}
			for _, m := range fm.Modifiers {
				e.Modifiers = append(e.Modifiers, modifierOf(m))
			}
			kp.InFormats = append(kp.InFormats, e)
		}
	case "WRITEBACK_PIXEL_FORMATS":
		// An array of u32 fourcc codes in host byte order.
		if len(data)%4 != 0 {
			return fmt.Errorf("property WRITEBACK_PIXEL_FORMATS: blob %d: %d bytes, not whole u32 codes: %w",
				kp.RawValue, len(data), syscall.EINVAL)
		}
		kp.WritebackFormats = make([]kmsFormat, 0, len(data)/4)
		for i := 0; i+4 <= len(data); i += 4 {
			kp.WritebackFormats = append(kp.WritebackFormats, formatOf(fourcc.Format(binary.NativeEndian.Uint32(data[i:]))))
		}
	case "MODE_ID":
		m, err := modeinfo.Decode(data)
		if err != nil {
			return fmt.Errorf("property MODE_ID: blob %d: %w", kp.RawValue, err)
		}
		km := modeOf(&m)
		kp.Mode = &km
	}
	return nil
}

func connectorTypeName(t uint32) string {
	switch t {
	case device.ConnectorTypeVirtual:
		return "Virtual"
	case device.ConnectorTypeWriteback:
		return "Writeback"
	}
	return "unknown (" + strconv.FormatUint(uint64(t), 10) + ")"
}

func connectionName(c uint32) string {
	switch c {
	case device.ConnectionConnected:
		return "connected"
	case device.ConnectionDisconnected:
		return "disconnected"
	}
	return "unknown"
}

func encoderTypeName(t uint32) string {
	if t == device.EncoderTypeVirtual {
		return "virtual"
	}
	return "unknown (" + strconv.FormatUint(uint64(t), 10) + ")"
}

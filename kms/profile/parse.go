package profile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"syscall"

	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// Limits a profile must respect. The plane and CRTC limits are the
// kernel's (plane and CRTC indices live in 32-bit masks); the others only
// bound the work a hostile file can cause.
const (
	MaxPlanes     = 32
	MaxCRTCs      = 32
	MaxConnectors = 16
	MaxModes      = 256
	// MaxRenderPairs bounds a render set: far more than a driver
	// advertises, and small enough that a hostile file cannot make the
	// loader probe pairs without end (a 64 KiB line of formats times
	// modifiers would otherwise name millions).
	MaxRenderPairs = 4096
	maxLineBytes   = 64 << 10
)

// ErrInvalidProfile is wrapped by every Parse and Load error about the
// profile's content; it wraps syscall.EINVAL.
var ErrInvalidProfile = fmt.Errorf("invalid device profile: %w", syscall.EINVAL)

// Error is a profile error with its position: the file, the 1-based line
// (0 when the whole file is at fault) and the field (the key, qualified by
// its section).
type Error struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap gives both ErrInvalidProfile and the cause to errors.Is.
func (e *Error) Unwrap() []error { return []error{ErrInvalidProfile, e.Err} }

// Parse reads a profile from r. Errors name the file (r's Name() when r
// has one, as *os.File does, otherwise "<input>"), the line and the field.
func Parse(r io.Reader) (*Profile, error) {
	name := "<input>"
	if n, ok := r.(interface{ Name() string }); ok {
		name = n.Name()
	}
	return parseNamed(name, r)
}

type section uint8

const (
	secTop section = iota
	secConnector
	secPlane
)

type parser struct {
	file string
	p    *Profile
	sec  section
	seen map[string]int // key -> line, per context
	// per-plane state
	plane      *planeDraft
	planes     []*planeDraft
	conn       *Connector
	connLines  []int
	crtcsSet   bool
	totalPlane int
}

type planeDraft struct {
	Plane
	line     int
	count    int
	crtcsSet bool
	maxFBSet bool
	srcSet   bool
	dstSet   bool
}

func parseNamed(file string, r io.Reader) (*Profile, error) {
	ps := &parser{file: file, p: &Profile{file: file}, seen: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		if err := ps.line(line, text); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Error{File: file, Line: line + 1, Err: fmt.Errorf("line longer than %d bytes", maxLineBytes)}
		}
		return nil, fmt.Errorf("profile %s: read: %w", file, err)
	}
	if err := ps.finish(); err != nil {
		return nil, err
	}
	return ps.p, nil
}

func (ps *parser) errf(line int, field, format string, args ...any) error {
	return &Error{File: ps.file, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

func (ps *parser) wrap(line int, field string, err error) error {
	return &Error{File: ps.file, Line: line, Field: field, Err: err}
}

// field names a key within its section, for error messages.
func (ps *parser) field(key string) string {
	switch ps.sec {
	case secConnector:
		return fmt.Sprintf("connector %d %s", len(ps.p.Connectors)-1, key)
	case secPlane:
		return fmt.Sprintf("plane %d %s", len(ps.planes)-1, key)
	}
	return key
}

var (
	topKeys       = map[string]bool{"name": true, "description": true, "crtc-count": true, "gamma-lut-size": true, "cursor-max": true, "writeback": true, "render": true}
	connectorKeys = map[string]bool{"mode": true}
	planeKeys     = map[string]bool{"crtcs": true, "count": true, "formats": true, "zpos": true, "rotation": true, "scaling": true,
		"max-fb": true, "max-src": true, "max-dst": true, "blend": true, "alpha": true, "color-encoding": true, "color-range": true, "colorkey": true}
	repeatable = map[string]bool{"mode": true, "formats": true, "render": true}
)

func (ps *parser) line(n int, text string) error {
	args := strings.Fields(text)
	key := args[0]
	rest := strings.TrimSpace(text[len(key):])
	args = args[1:]
	switch key {
	case "connector":
		return ps.startConnector(n, args)
	case "plane":
		return ps.startPlane(n, args)
	}
	var ok bool
	switch ps.sec {
	case secTop:
		ok = topKeys[key]
	case secConnector:
		ok = connectorKeys[key]
	case secPlane:
		ok = planeKeys[key]
	}
	if !ok {
		if topKeys[key] || connectorKeys[key] || planeKeys[key] {
			return ps.errf(n, ps.field(key), "key not allowed here (profile keys come before the first connector or plane)")
		}
		return ps.errf(n, ps.field(key), "unknown key %q", key)
	}
	if !repeatable[key] {
		if prev, dup := ps.seen[key]; dup {
			return ps.errf(n, ps.field(key), "given twice (first on line %d)", prev)
		}
		ps.seen[key] = n
	}
	var err error
	switch ps.sec {
	case secTop:
		err = ps.top(n, key, rest, args)
	case secConnector:
		err = ps.mode(args)
	case secPlane:
		err = ps.planeKey(key, args)
	}
	if err != nil {
		return ps.wrap(n, ps.field(key), err)
	}
	return nil
}

func (ps *parser) top(n int, key, rest string, args []string) error {
	var err error
	switch key {
	case "name":
		if len(args) != 1 || !validName(args[0]) {
			return errors.New("want one name of lower-case letters, digits and '-'")
		}
		ps.p.Name = args[0]
	case "description":
		if rest == "" {
			return errors.New("empty")
		}
		ps.p.Description = rest
	case "crtc-count":
		var v uint64
		v, err = oneUint(args, 1, MaxCRTCs)
		ps.p.CRTCs.Count = int(v)
		ps.crtcsSet = true
	case "gamma-lut-size":
		// "gamma-lut-size N [exact|at-most]": how many entries a GAMMA_LUT
		// blob must have, exactly N (the default) or 1 to N.
		if len(args) == 2 {
			switch args[1] {
			case "exact":
			case "at-most":
				ps.p.CRTCs.GammaLUTAtMost = true
			default:
				return fmt.Errorf("%q: want exact or at-most", args[1])
			}
			args = args[:1]
		}
		var v uint64
		v, err = oneUint(args, 0, 1<<20)
		ps.p.CRTCs.GammaLUTSize = uint32(v)
	case "cursor-max":
		var s Size
		s, err = oneSize(args)
		ps.p.CRTCs.CursorWidth, ps.p.CRTCs.CursorHeight = s.Width, s.Height
	case "render":
		err = ps.parseRender(n, args)
	case "writeback":
		if len(args) == 0 {
			return errors.New("want the writeback formats")
		}
		ps.p.Writeback.Present = true
		for _, a := range args {
			f, err := parseFormat(a)
			if err != nil {
				return err
			}
			for _, g := range ps.p.Writeback.Formats {
				if g == f {
					return fmt.Errorf("format %s listed twice", a)
				}
			}
			ps.p.Writeback.Formats = append(ps.p.Writeback.Formats, f)
		}
	}
	return err
}

func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func (ps *parser) startConnector(n int, args []string) error {
	if len(args) != 1 {
		return ps.errf(n, "connector", "want one connector name")
	}
	if len(ps.p.Connectors) == MaxConnectors {
		return ps.errf(n, "connector", "more than %d connectors", MaxConnectors)
	}
	for _, c := range ps.p.Connectors {
		if c.Name == args[0] {
			return ps.errf(n, "connector", "name %q used twice", args[0])
		}
	}
	ps.p.Connectors = append(ps.p.Connectors, Connector{Name: args[0]})
	ps.conn = &ps.p.Connectors[len(ps.p.Connectors)-1]
	ps.connLines = append(ps.connLines, n)
	ps.enter(secConnector, n)
	return nil
}

func (ps *parser) enter(s section, n int) {
	ps.sec = s
	ps.seen = map[string]int{}
}

func (ps *parser) mode(args []string) error {
	if len(args) < 1 || len(args) > 2 || (len(args) == 2 && args[1] != "preferred") {
		return errors.New("want WIDTHxHEIGHT@HZ, optionally followed by preferred")
	}
	size, hz, ok := strings.Cut(args[0], "@")
	if !ok {
		return fmt.Errorf("%q: want WIDTHxHEIGHT@HZ", args[0])
	}
	s, err := parseSize(size, math.MaxUint16)
	if err != nil {
		return err
	}
	r, err := strconv.ParseUint(hz, 10, 32)
	if err != nil || r < 1 || r > 1000 {
		return fmt.Errorf("refresh %q: want 1..1000 Hz", hz)
	}
	c := ps.conn
	if len(c.Modes) == MaxModes {
		return fmt.Errorf("more than %d modes", MaxModes)
	}
	m := Mode{HDisplay: uint16(s.Width), VDisplay: uint16(s.Height), Refresh: uint32(r), Preferred: len(args) == 2}
	for _, o := range c.Modes {
		if o.HDisplay == m.HDisplay && o.VDisplay == m.VDisplay && o.Refresh == m.Refresh {
			return fmt.Errorf("mode %s listed twice", args[0])
		}
		if o.Preferred && m.Preferred {
			return errors.New("a second preferred mode")
		}
	}
	c.Modes = append(c.Modes, m)
	return nil
}

var planeTypes = map[string]PlaneType{"primary": Primary, "overlay": Overlay, "cursor": Cursor}

func (ps *parser) startPlane(n int, args []string) error {
	if len(args) != 1 {
		return ps.errf(n, "plane", "want one type: primary, overlay or cursor")
	}
	t, ok := planeTypes[args[0]]
	if !ok {
		return ps.errf(n, "plane", "type %q: want primary, overlay or cursor", args[0])
	}
	d := &planeDraft{line: n, count: 1}
	d.Type = t
	d.Scaling = Scaling{Min: FixedOne, Max: FixedOne}
	ps.planes = append(ps.planes, d)
	ps.plane = d
	ps.enter(secPlane, n)
	return nil
}

func (ps *parser) planeKey(key string, args []string) error {
	d := ps.plane
	switch key {
	case "crtcs":
		return d.parseCRTCs(args)
	case "count":
		v, err := oneUint(args, 1, MaxPlanes)
		d.count = int(v)
		return err
	case "formats":
		return d.parseFormats(args)
	case "zpos":
		return d.parseZpos(args)
	case "rotation":
		return d.parseRotation(args)
	case "scaling":
		return d.parseScaling(args)
	case "max-fb", "max-src", "max-dst":
		s, err := oneSize(args)
		if err != nil {
			return err
		}
		switch key {
		case "max-fb":
			d.MaxFB, d.maxFBSet = s, true
		case "max-src":
			d.MaxSrc, d.srcSet = s, true
		default:
			d.MaxDst, d.dstSet = s, true
		}
	case "blend":
		return d.parseBlend(args)
	case "alpha":
		if len(args) != 1 || (args[0] != "yes" && args[0] != "no") {
			return errors.New("want yes or no")
		}
		d.Alpha = args[0] == "yes"
	case "color-encoding":
		return d.parseEncodings(args)
	case "color-range":
		return d.parseRanges(args)
	case "colorkey":
		if len(args) != 1 {
			return errors.New("want none, rcar, rcar-gen3 or i915")
		}
		for i, n := range colorkeyNames {
			if n == args[0] {
				d.Colorkey = Colorkey(i)
				return nil
			}
		}
		return fmt.Errorf("%q: want none, rcar, rcar-gen3 or i915", args[0])
	}
	return nil
}

func (d *planeDraft) parseCRTCs(args []string) error {
	if len(args) == 1 && args[0] == "all" {
		d.PossibleCRTCs = math.MaxUint32 // narrowed to the CRTC count in finish
		d.crtcsSet = true
		return nil
	}
	if len(args) == 0 {
		return errors.New("want all or CRTC indices")
	}
	for _, a := range args {
		v, err := strconv.ParseUint(a, 10, 8)
		if err != nil || v >= MaxCRTCs {
			return fmt.Errorf("CRTC index %q: want 0..%d", a, MaxCRTCs-1)
		}
		if d.PossibleCRTCs&(1<<v) != 0 {
			return fmt.Errorf("CRTC index %s listed twice", a)
		}
		d.PossibleCRTCs |= 1 << v
	}
	d.crtcsSet = true
	return nil
}

func parseFormat(s string) (fourcc.Format, error) {
	f, err := fourcc.Parse(s)
	if err != nil {
		return 0, err
	}
	if _, ok := fourcc.Lookup(f); !ok {
		return 0, fmt.Errorf("format %q: %w", s, fourcc.ErrUnknownFormat)
	}
	return f, nil
}

// parsePairs reads "F... : M...", the argument syntax of formats and
// render lines.
func parsePairs(args []string) ([]fourcc.Format, []modifier.Modifier, error) {
	sep := -1
	for i, a := range args {
		if a == ":" {
			if sep >= 0 {
				return nil, nil, errors.New("more than one ':'")
			}
			sep = i
		}
	}
	if sep <= 0 || sep == len(args)-1 {
		return nil, nil, errors.New("want FORMAT... : MODIFIER...")
	}
	fs := make([]fourcc.Format, 0, sep)
	for _, a := range args[:sep] {
		f, err := parseFormat(a)
		if err != nil {
			return nil, nil, err
		}
		fs = append(fs, f)
	}
	ms := make([]modifier.Modifier, 0, len(args)-sep-1)
	for _, a := range args[sep+1:] {
		m, err := modifier.Parse(a)
		if err != nil {
			return nil, nil, err
		}
		ms = append(ms, m)
	}
	return fs, ms, nil
}

// parseFormats reads "F... : M..." and adds every pair, keeping first-use
// order for formats and for the plane's modifiers.
func (d *planeDraft) parseFormats(args []string) error {
	fs, ms, err := parsePairs(args)
	if err != nil {
		return err
	}
	for _, f := range fs {
		for _, m := range ms {
			if err := d.addPair(f, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseRender reads a render line, "F... : M...", into the profile's
// render set. Unlike a plane's, the set keeps each format's modifiers in
// the order the file gives them: there is no IN_FORMATS blob to agree
// with, and the order is the preference the feedback advertises.
func (ps *parser) parseRender(n int, args []string) error {
	fs, ms, err := parsePairs(args)
	if err != nil {
		return err
	}
	p := ps.p
	if p.Render == nil {
		p.Render = &formatset.Set{}
		p.renderLine = map[fourcc.Format]int{}
	}
	// Checked before any pair is probed, so one long line cannot make the
	// parser probe millions of pairs before it notices.
	if p.Render.Len()+len(fs)*len(ms) > MaxRenderPairs {
		return fmt.Errorf("more than %d render pairs", MaxRenderPairs)
	}
	for _, f := range fs {
		for _, m := range ms {
			if p.Render.Has(f, m) {
				return fmt.Errorf("%s with %s listed twice", fourcc.DRMName(f), modifier.Name(m))
			}
			if err := CanSample(f, m); err != nil {
				return err
			}
			p.Render.Add(f, m)
			if _, ok := p.renderLine[f]; !ok {
				p.renderLine[f] = n
			}
		}
	}
	return nil
}

func (d *planeDraft) addPair(f fourcc.Format, m modifier.Modifier) error {
	if err := CanSample(f, m); err != nil {
		return err
	}
	j := -1
	for i := range d.Formats {
		if d.Formats[i].Format == f {
			j = i
			break
		}
	}
	if j < 0 {
		if len(d.Formats) == MaxPlaneFormats {
			return fmt.Errorf("more than %d formats (the kernel refuses such a plane)", MaxPlaneFormats)
		}
		d.Formats = append(d.Formats, FormatModifiers{Format: f})
		j = len(d.Formats) - 1
	}
	if hasModifier(d.Formats[j].Modifiers, m) {
		return fmt.Errorf("%s with %s listed twice", fourcc.DRMName(f), modifier.Name(m))
	}
	d.Formats[j].Modifiers = append(d.Formats[j].Modifiers, m)
	if !hasModifier(d.Modifiers, m) {
		d.Modifiers = append(d.Modifiers, m)
	}
	return nil
}

func (d *planeDraft) parseZpos(args []string) error {
	if len(args) < 3 || len(args) > 4 || (len(args) == 4 && args[3] != "immutable") {
		return errors.New("want VALUE MIN MAX, optionally followed by immutable")
	}
	var v [3]uint64
	for i := range v {
		x, err := strconv.ParseUint(args[i], 10, 32)
		if err != nil {
			return fmt.Errorf("%q: want an unsigned 32-bit integer", args[i])
		}
		v[i] = x
	}
	z := Zpos{Present: true, Value: uint32(v[0]), Min: uint32(v[1]), Max: uint32(v[2]), Immutable: len(args) == 4}
	if z.Min > z.Max || z.Value < z.Min || z.Value > z.Max {
		return fmt.Errorf("value %d outside %d..%d", z.Value, z.Min, z.Max)
	}
	if z.Immutable && (z.Min != z.Value || z.Max != z.Value) {
		return errors.New("immutable zpos needs VALUE = MIN = MAX, as drm_plane_create_zpos_immutable_property makes it")
	}
	d.Zpos = z
	return nil
}

func (d *planeDraft) parseRotation(args []string) error {
	if len(args) == 0 {
		return errors.New("want rotation names")
	}
	for _, a := range args {
		found := false
		for _, n := range rotationNames {
			if n.file == a {
				if d.Rotations&n.bit != 0 {
					return fmt.Errorf("%s listed twice", a)
				}
				d.Rotations |= n.bit
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%q: want ROTATE_0, ROTATE_90, ROTATE_180, ROTATE_270, REFLECT_X or REFLECT_Y", a)
		}
	}
	// drm_plane_create_rotation_property insists the default, rotate-0,
	// is supported.
	if d.Rotations&Rotate0 == 0 {
		return errors.New("ROTATE_0 must be supported")
	}
	return nil
}

func (d *planeDraft) parseScaling(args []string) error {
	if len(args) == 1 && args[0] == "none" {
		d.Scaling = Scaling{Min: FixedOne, Max: FixedOne}
		return nil
	}
	if len(args) != 2 {
		return errors.New("want none, or MIN MAX as ratios (1/4, 3) or 16.16 hex (0x4000)")
	}
	var v [2]int32
	for i, a := range args {
		x, err := parseScale(a)
		if err != nil {
			return err
		}
		v[i] = x
	}
	if v[0] > FixedOne || v[1] < FixedOne {
		return fmt.Errorf("min %#x must be at most 1.0 and max %#x at least 1.0", v[0], v[1])
	}
	d.Scaling = Scaling{Min: v[0], Max: v[1]}
	return nil
}

// parseScale reads a positive 16.16 factor: 0x hex as the raw value, or
// N or N/D rounded down as the kernel's integer macros would.
func parseScale(s string) (int32, error) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		v, err := strconv.ParseUint(h, 16, 31)
		if err != nil || v == 0 {
			return 0, fmt.Errorf("scale %q: want a positive 16.16 hex value below 0x80000000", s)
		}
		return int32(v), nil
	}
	num, den, isRatio := strings.Cut(s, "/")
	n, err := strconv.ParseUint(num, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("scale %q: want N, N/D or 0x16.16", s)
	}
	d := uint64(1)
	if isRatio {
		if d, err = strconv.ParseUint(den, 10, 16); err != nil || d == 0 {
			return 0, fmt.Errorf("scale %q: bad denominator", s)
		}
	}
	v := n << 16 / d
	if v == 0 || v > math.MaxInt32 {
		return 0, fmt.Errorf("scale %q out of range", s)
	}
	return int32(v), nil
}

func (d *planeDraft) parseBlend(args []string) error {
	if len(args) == 0 {
		return errors.New("want blend mode names")
	}
	for _, a := range args {
		found := false
		for i, n := range blendNames {
			if n == a {
				if d.Blend.Has(BlendMode(i)) {
					return fmt.Errorf("%s listed twice", a)
				}
				d.Blend |= 1 << i
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%q: want None, Pre-multiplied or Coverage", a)
		}
	}
	// drm_plane_create_blend_mode_property refuses a set without
	// Pre-multiplied, the default.
	if !d.Blend.Has(BlendPremulti) {
		return errors.New("Pre-multiplied must be supported")
	}
	return nil
}

// parseEnumSet reads "NAME... default NAME" against names.
func parseEnumSet(args []string, names []string) (set uint8, def uint8, err error) {
	if len(args) < 3 || args[len(args)-2] != "default" {
		return 0, 0, fmt.Errorf("want NAME... default NAME, names from %s", strings.Join(names, ", "))
	}
	find := func(a string) (uint8, error) {
		for i, n := range names {
			if n == a {
				return uint8(i), nil
			}
		}
		return 0, fmt.Errorf("%q: want one of %s", a, strings.Join(names, ", "))
	}
	for _, a := range args[:len(args)-2] {
		i, err := find(a)
		if err != nil {
			return 0, 0, err
		}
		if set&(1<<i) != 0 {
			return 0, 0, fmt.Errorf("%s listed twice", a)
		}
		set |= 1 << i
	}
	def, err = find(args[len(args)-1])
	if err != nil {
		return 0, 0, err
	}
	if set&(1<<def) == 0 {
		return 0, 0, fmt.Errorf("default %s is not in the set", args[len(args)-1])
	}
	return set, def, nil
}

func (d *planeDraft) parseEncodings(args []string) error {
	names := make([]string, len(encodingNames))
	for i, n := range encodingNames {
		names[i] = n.file
	}
	set, def, err := parseEnumSet(args, names)
	d.Color.Encodings, d.Color.DefaultEncoding = set, ColorEncoding(def)
	return err
}

func (d *planeDraft) parseRanges(args []string) error {
	names := make([]string, len(rangeNames))
	for i, n := range rangeNames {
		names[i] = n.file
	}
	set, def, err := parseEnumSet(args, names)
	d.Color.Ranges, d.Color.DefaultRange = set, ColorRange(def)
	return err
}

func oneUint(args []string, lo, hi uint64) (uint64, error) {
	if len(args) != 1 {
		return 0, fmt.Errorf("want one integer in %d..%d", lo, hi)
	}
	v, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil || v < lo || v > hi {
		return 0, fmt.Errorf("%q: want an integer in %d..%d", args[0], lo, hi)
	}
	return v, nil
}

func oneSize(args []string) (Size, error) {
	if len(args) != 1 {
		return Size{}, errors.New("want WIDTHxHEIGHT")
	}
	return parseSize(args[0], 1<<16)
}

func parseSize(s string, max uint64) (Size, error) {
	ws, hs, ok := strings.Cut(s, "x")
	if !ok {
		return Size{}, fmt.Errorf("%q: want WIDTHxHEIGHT", s)
	}
	w, err1 := strconv.ParseUint(ws, 10, 32)
	h, err2 := strconv.ParseUint(hs, 10, 32)
	if err1 != nil || err2 != nil || w < 1 || h < 1 || w > max || h > max {
		return Size{}, fmt.Errorf("%q: want WIDTHxHEIGHT, each 1..%d", s, max)
	}
	return Size{uint32(w), uint32(h)}, nil
}

// finish checks what needs the whole file and builds the planes.
func (ps *parser) finish() error {
	p := ps.p
	if p.Name == "" {
		return ps.errf(0, "name", "missing")
	}
	if !ps.crtcsSet {
		return ps.errf(0, "crtc-count", "missing")
	}
	if len(p.Connectors) == 0 {
		return ps.errf(0, "connector", "no connector")
	}
	for i, c := range p.Connectors {
		if len(c.Modes) == 0 {
			return ps.errf(ps.connLines[i], fmt.Sprintf("connector %d", i), "no modes")
		}
	}
	if len(ps.planes) == 0 {
		return ps.errf(0, "plane", "no plane")
	}
	all := uint32(1)<<p.CRTCs.Count - 1
	for i, d := range ps.planes {
		field := fmt.Sprintf("plane %d", i)
		switch {
		case !d.crtcsSet:
			return ps.errf(d.line, field+" crtcs", "missing")
		case len(d.Formats) == 0:
			return ps.errf(d.line, field+" formats", "missing")
		case !d.maxFBSet:
			return ps.errf(d.line, field+" max-fb", "missing")
		case d.count > 1 && d.Zpos.Immutable:
			return ps.errf(d.line, field+" count", "copies of a plane cannot share an immutable zpos")
		case d.count > 1 && d.Type != Overlay:
			return ps.errf(d.line, field+" count", "only overlay planes come in counts")
		}
		if d.PossibleCRTCs == math.MaxUint32 {
			d.PossibleCRTCs = all
		} else if d.PossibleCRTCs&^all != 0 {
			return ps.errf(d.line, field+" crtcs", "names a CRTC past crtc-count %d", p.CRTCs.Count)
		}
		if !d.srcSet {
			d.MaxSrc = d.MaxFB
		}
		if !d.dstSet {
			d.MaxDst = d.MaxFB
		}
		if ps.totalPlane+d.count > MaxPlanes {
			return ps.errf(d.line, field, "more than %d planes", MaxPlanes)
		}
		ps.totalPlane += d.count
		// Sort each format's modifiers into the plane's modifier order,
		// the order IN_FORMATS reports them in.
		for f := range d.Formats {
			ms := d.Formats[f].Modifiers
			sorted := make([]modifier.Modifier, 0, len(ms))
			for _, m := range d.Modifiers {
				if hasModifier(ms, m) {
					sorted = append(sorted, m)
				}
			}
			d.Formats[f].Modifiers = sorted
		}
		blob, err := EncodeInFormats(d.Formats)
		if err != nil {
			return ps.wrap(d.line, field+" formats", err)
		}
		d.inFormats = blob
		for k := 0; k < d.count; k++ {
			p.Planes = append(p.Planes, d.Plane)
		}
	}
	// Atomic drivers need a primary plane on every CRTC.
	for c := 0; c < p.CRTCs.Count; c++ {
		found := false
		for _, pl := range p.Planes {
			if pl.Type == Primary && pl.PossibleCRTCs&(1<<c) != 0 {
				found = true
			}
		}
		if !found {
			return ps.errf(0, "plane", "CRTC %d has no primary plane", c)
		}
	}
	return nil
}

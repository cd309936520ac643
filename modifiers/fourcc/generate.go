package fourcc

// The libdrm golden files in testdata are rebuilt with "go generate" on a
// machine with libdrm's development files (Debian's libdrm-dev 2.4.114 made
// the committed ones); the tests only read them. ${DOLLAR} is go generate's
// spelling of a literal $, which it would otherwise expand itself.
//go:generate sh -c "set -e; d=${DOLLAR}(mktemp -d); trap 'rm -rf ${DOLLAR}d' EXIT; cc -O2 -Wall -o ${DOLLAR}d/formatnames ../internal/libdrmgen/formatnames.c ${DOLLAR}(pkg-config --cflags --libs libdrm); go run gen_inputs.go > ${DOLLAR}d/in; ${DOLLAR}d/formatnames < ${DOLLAR}d/in > testdata/libdrm-format-names.tsv; ${DOLLAR}d/formatnames macros > testdata/libdrm-macros.tsv"

// oddCodes are codes chosen to pin down drmGetFormatName's corner cases:
// the invalid code with and without the flag, unprintable and non-ASCII
// bytes, spaces at the end, in the middle and everywhere, NUL bytes in each
// position, and a top byte that only differs from another code in bit 31.
var oddCodes = [...]Format{
	0,
	BigEndian,
	0xffffffff,
	0x7fffffff,
	0x01020304,
	0x20202020,
	0xa0202020,
	0x20202041,
	0x20204120,
	0x41202020 | BigEndian,
	0x41202041,
	0x00000041,
	0x00004100,
	0x00410000,
	0x41000000,
	0x41004141,
	0x20004141,
	0x00202041,
	0x0a093a41,
	0x5c5c5c5c,
	0x7f7f7f7f,
	0xc3a9c3a9,
	0x000000ff,
	Code('x', 'r', '2', '4'),
	Code('X', 'R', '2', '4') | 0x80000000,
}

// GoldenInputs lists the codes whose libdrm names are recorded in testdata:
// every table format and its BigEndian variant, every format known only by
// name, and oddCodes. It exists for gen_inputs.go and the tests.
func GoldenInputs() []Format {
	var out []Format
	for _, in := range table {
		out = append(out, in.Format, in.Format|BigEndian)
	}
	for _, n := range nameOnly {
		if n.f != Invalid {
			out = append(out, n.f, n.f|BigEndian)
		}
	}
	return append(out, oddCodes[:]...)
}

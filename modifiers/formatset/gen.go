package formatset

// The golden format table is produced by a C program against libdrm's
// drm_fourcc.h, so the test checks the Go layout against the C struct a
// compositor written in C would map. Tests read only the committed output.
//go:generate sh -c "cc -std=c11 -Wall -Werror $(pkg-config --cflags libdrm) -o testdata/gentable testdata/gentable.c && ./testdata/gentable > testdata/table_golden.bin && rm -f testdata/gentable"

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModifiersName(t *testing.T) {
	code, stdout, stderr := runCmd(t, "modifiers", "name",
		"0x0100000000000002", "0x0", "0x00ffffffffffffff", "I915_FORMAT_MOD_4_TILED")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "0x0100000000000002\tINTEL\tY_TILED\n"+
		"0x0000000000000000\tNONE\tLINEAR\n"+
		"0x00ffffffffffffff\tNONE\tINVALID\n"+
		"0x0100000000000009\tINTEL\t4_TILED\n", stdout)
}

func TestModifiersNameBadValueKeepsOthers(t *testing.T) {
	code, stdout, stderr := runCmd(t, "modifiers", "name", "0x1", "not-a-modifier", "0x0")
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, 2, strings.Count(stdout, "\n"), "the good values are still named")
	assert.Contains(t, stderr, `"not-a-modifier"`)
}

func TestModifiersParse(t *testing.T) {
	code, stdout, stderr := runCmd(t, "modifiers", "parse",
		"I915_FORMAT_MOD_Y_TILED", "INTEL_X_TILED", "DRM_FORMAT_MOD_LINEAR", "VIVANTE_TILED")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "0x0100000000000002\n0x0100000000000001\n0x0000000000000000\n0x0600000000000001\n", stdout)

	code, _, stderr = runCmd(t, "modifiers", "parse", "TILED")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "VIVANTE_TILED", "an ambiguous bare name lists the qualified names")
	assert.Contains(t, stderr, "ALLWINNER_TILED")
}

func TestModifiersUsage(t *testing.T) {
	for _, args := range [][]string{
		{"modifiers"},
		{"modifiers", "frob"},
		{"modifiers", "name"},
		{"modifiers", "layout", "--format", "NV12"},
		{"modifiers", "layout", "--format", "NV12", "--size", "10"},
		{"modifiers", "layout", "--bogus"},
	} {
		code, stdout, stderr := runCmd(t, args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Empty(t, stdout, args)
		assert.NotEmpty(t, stderr, args)
	}
}

func TestModifiersLayout(t *testing.T) {
	code, stdout, stderr := runCmd(t, "modifiers", "layout",
		"--format", "NV12", "--modifier", "I915_FORMAT_MOD_Y_TILED", "--size", "1920x1080")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "NV12 (NV12) 1920x1080, modifier 0x0100000000000002 INTEL Y_TILED")
	assert.Contains(t, stdout, "2 memory planes")
	// Y tiles are 128 bytes by 32 rows: 1920 bytes of luma is 15 tiles, 1080
	// rows round up to 1088.
	assert.Contains(t, stdout, "stride 1920")
	assert.Contains(t, stdout, "rows 1088")

	code, stdout, stderr = runCmd(t, "modifiers", "layout",
		"--format", "XR24", "--modifier", "LINEAR", "--size", "7x3", "--json")
	require.Equal(t, exitOK, code, stderr)
	var out layoutOut
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	assert.Equal(t, "XRGB8888", out.Format)
	assert.Equal(t, "XR24", out.FourCC)
	assert.Equal(t, "LINEAR", out.ModifierName)
	require.Len(t, out.Planes, 1)
	assert.GreaterOrEqual(t, out.Planes[0].Stride, uint32(28))
	assert.GreaterOrEqual(t, out.Size, uint64(out.Planes[0].Stride)*3)

	code, _, stderr = runCmd(t, "modifiers", "layout",
		"--format", "XR24", "--modifier", "0x0b00000000000001", "--size", "64x64")
	assert.Equal(t, exitFailure, code)
	assert.NotEmpty(t, stderr)
}

func TestFormatsName(t *testing.T) {
	code, stdout, stderr := runCmd(t, "formats", "name", "0x34325258", "0xb4325258", "NV12", "0")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "0x34325258\tXR24\tXRGB8888\n"+
		"0xb4325258\tXR24_BE\tXRGB8888_BE\n"+
		"0x3231564e\tNV12\tNV12\n"+
		"0x00000000\tINVALID\tINVALID\n", stdout)

	code, _, stderr = runCmd(t, "formats", "name", "NOPE")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, `"NOPE"`)
}

func TestFormatsTable(t *testing.T) {
	code, stdout, stderr := runCmd(t, "formats")
	require.Equal(t, exitOK, code, stderr)
	assert.Regexp(t, `(?m)^XR24\s+34325258\s+XRGB8888\s+24\s+1\s+4\s`, stdout)
	assert.Regexp(t, `(?m)^NV12\s+3231564e\s+NV12\s+0\s+2\s+1,2\s+1,1/1,1\s+2x2\s+yuv$`, stdout)

	code, stdout, stderr = runCmd(t, "formats", "--json")
	require.Equal(t, exitOK, code, stderr)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rows))
	require.NotEmpty(t, rows)
	found := false
	for _, r := range rows {
		if r["name"] == "ARGB8888" {
			found = true
			assert.Equal(t, "AR24", r["fourcc"])
			assert.Equal(t, true, r["has_alpha"])
		}
	}
	assert.True(t, found, "ARGB8888 in the JSON table")

	code, _, _ = runCmd(t, "formats", "--bogus")
	assert.Equal(t, exitUsage, code)
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	runALog = `{"v":1,"frame":0,"event":"output","profile":"vkms","mode":"1024x768@60","primary_format":"XRGB8888","clock":"lockstep","vol":{"mono_base_ns":5000,"socket":"wayland-1"}}
{"v":1,"frame":0,"client":"simple-shm","ord":1,"event":"client_connect","comm":"simple-shm","vol":{"pid":100}}
{"v":1,"frame":1,"client":"simple-shm","ord":2,"event":"presentation","surface":3,"kind":"presented","seq":1,"flags":["vsync"],"refresh_ns":16666666,"vol":{"tv_sec":5,"tv_nsec":1}}
`
	runBLog = `{"v":1,"frame":0,"event":"output","profile":"vkms","mode":"1024x768@60","primary_format":"XRGB8888","clock":"lockstep","vol":{"mono_base_ns":9000,"socket":"wayland-4"}}
{"v":1,"frame":0,"client":"simple-shm","ord":1,"event":"client_connect","comm":"simple-shm","vol":{"pid":4711}}
{"v":1,"frame":1,"client":"simple-shm","ord":2,"event":"presentation","surface":3,"kind":"presented","seq":1,"flags":["vsync"],"refresh_ns":16666666,"vol":{"tv_sec":9,"tv_nsec":77}}
`
	normalizedLog = `{"v":1,"frame":0,"event":"output","profile":"vkms","mode":"1024x768@60","primary_format":"XRGB8888","clock":"lockstep"}
{"v":1,"frame":0,"client":"simple-shm","ord":1,"event":"client_connect","comm":"simple-shm"}
{"v":1,"frame":1,"client":"simple-shm","ord":2,"event":"presentation","surface":3,"kind":"presented","seq":1,"flags":["vsync"],"refresh_ns":16666666}
`
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func withStdin(t *testing.T, content string) {
	t.Helper()
	old := logStdin
	logStdin = strings.NewReader(content)
	t.Cleanup(func() { logStdin = old })
}

func TestLogNormalize(t *testing.T) {
	a, b := writeTemp(t, "a.jsonl", runALog), writeTemp(t, "b.jsonl", runBLog)
	bad := writeTemp(t, "bad.jsonl", runALog+`{"v":1,"frame":2,"event":"x","vol":{"a":1},"b":2}`+"\n"+runALog)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   string
		inStderr string
	}{
		{"one file", []string{"normalize", a}, "", exitOK, normalizedLog, ""},
		{"runs compare equal", []string{"normalize", b}, "", exitOK, normalizedLog, ""},
		{"files in order", []string{"normalize", a, b}, "", exitOK, normalizedLog + normalizedLog, ""},
		{"stdin without files", []string{"normalize"}, runBLog, exitOK, normalizedLog, ""},
		{"stdin as dash", []string{"normalize", a, "-"}, runBLog, exitOK, normalizedLog + normalizedLog, ""},
		{"empty input", []string{"normalize"}, "", exitOK, "", ""},
		{"malformed line", []string{"normalize", bad}, "", exitFailure, normalizedLog, bad + `: line 4: malformed negotiation log line: "vol" is not the last key`},
		{"malformed stdin", []string{"normalize"}, "{\"v\":2,\"frame\":0,\"event\":\"x\"}\n", exitFailure, "", "stdin: line 1: malformed negotiation log line: unsupported negotiation log version"},
		{"missing file", []string{"normalize", filepath.Join(t.TempDir(), "nope")}, "", exitFailure, "", "no such file"},
		{"no subcommand", []string{}, "", exitUsage, "", "headway log normalize [FILE...]"},
		{"unknown flag", []string{"normalize", "--frobnicate"}, "", exitUsage, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withStdin(t, tt.stdin)
			code, stdout, stderr := runCmd(t, append([]string{"log"}, tt.args...)...)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr)
			assert.Equal(t, tt.stdout, stdout)
			if tt.inStderr == "" {
				assert.Empty(t, stderr)
			} else {
				assert.Contains(t, stderr, tt.inStderr)
			}
		})
	}
}

func TestLogUnknownSubcommand(t *testing.T) {
	code, stdout, stderr := runCmd(t, "log", "frobnicate")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `unknown subcommand "frobnicate"`)
}

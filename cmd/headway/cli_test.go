package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCmd drives the real command table in process.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		inStderr string
	}{
		{"no arguments", nil, "Usage: headway COMMAND"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"bad flag", []string{"version", "--frobnicate"}, "flag provided but not defined: -frobnicate"},
		{"extra argument", []string{"version", "extra"}, "usage: headway version"},
		{"help of unknown command", []string{"help", "frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout, "usage errors go to stderr only")
			assert.Contains(t, stderr, tt.inStderr)
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, stdout, stderr := runCmd(t, "help")
	require.Equal(t, exitOK, code)
	assert.Empty(t, stderr)
	for name, c := range commands {
		assert.Contains(t, stdout, "  "+name, "help lists %s", name)
		assert.Contains(t, stdout, c.summary)

		code, detail, _ := runCmd(t, "help", name)
		assert.Equal(t, exitOK, code)
		assert.True(t, strings.HasPrefix(detail, "headway "+name+": "), detail)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, stderr := runCmd(t, "version")
	require.Equal(t, exitOK, code)
	assert.Empty(t, stderr)
	assert.Regexp(t, `^headway \S+.* go1\.\d+`, stdout)
}

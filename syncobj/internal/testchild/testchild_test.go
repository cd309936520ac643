package testchild

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArgs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		parent []string
		want   []string
	}{
		{"no coverage", []string{"-test.v=true", "-test.timeout=10m0s"},
			[]string{"-test.run=^TestX$", "-test.count=1"}},
		{"coverage dir forwarded, profile not", []string{"-test.gocoverdir=/tmp/b/gocoverdir", "-test.coverprofile=/tmp/b/c.out"},
			[]string{"-test.run=^TestX$", "-test.count=1", "-test.gocoverdir=/tmp/b/gocoverdir"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Args("^TestX$", tc.parent))
		})
	}
}

const childEnv = "HEADWAY_TESTCHILD_CHILD"

func TestChildHelper(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("only runs as the child of TestCommandRunsOneTest")
	}
	os.Exit(7)
}

// The child runs only the named test: its exit code is the helper's.
func TestCommandRunsOneTest(t *testing.T) {
	cmd := Command("^TestChildHelper$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	err := cmd.Run()
	require.Error(t, err)
	assert.Equal(t, 7, cmd.ProcessState.ExitCode())
}

package testchild

import (
	"os"
	"os/exec"
	"strings"
)

// Command returns a command that runs the current test binary with only
// the tests matching run. The caller sets Env, ExtraFiles and the like.
func Command(run string) *exec.Cmd {
	return exec.Command(os.Args[0], Args(run, os.Args[1:])...)
}

// Args builds the child's arguments from the parent's: the run pattern,
// one count, and the parent's -test.gocoverdir if it has one. go test
// merges every counter file in that directory into the profile after the
// parent exits, the child's included.
func Args(run string, parent []string) []string {
	args := []string{"-test.run=" + run, "-test.count=1"}
	for _, a := range parent {
		if strings.HasPrefix(a, "-test.gocoverdir=") {
			args = append(args, a)
		}
	}
	return args
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
)

// Exit statuses shared by every subcommand.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand. run receives the arguments after the
// subcommand's name.
type command struct {
	name    string
	summary string
	usage   string // synopsis lines shown by "headway help NAME"
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by init functions in the files that implement them, so
// adding a subcommand touches only its own file.
var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func init() {
	register(&command{
		name:    "help",
		summary: "show usage, or the usage of one command",
		usage:   "headway help [COMMAND]",
		run:     runHelp,
	})
	register(&command{
		name:    "version",
		summary: "print the version and build information",
		usage:   "headway version",
		run:     runVersion,
	})
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		printUsage(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "headway: unknown command %q\n\n", name)
		printUsage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "headway: a headless Wayland compositor for testing graphics stacks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: headway COMMAND [ARGUMENTS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'headway help COMMAND' for the details of one command.")
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		printUsage(stdout)
		return exitOK
	case 1:
		c, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "headway help: unknown command %q\n\n", args[0])
			printUsage(stderr)
			return exitUsage
		}
		fmt.Fprintf(stdout, "headway %s: %s\n\nUsage:\n", c.name, c.summary)
		for _, l := range strings.Split(c.usage, "\n") {
			fmt.Fprintf(stdout, "  %s\n", l)
		}
		return exitOK
	default:
		fmt.Fprintln(stderr, "usage: headway help [COMMAND]")
		return exitUsage
	}
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: headway version")
		return exitUsage
	}
	fmt.Fprintf(stdout, "headway %s\n", version())
	return exitOK
}

// version reports the module version when built from a tagged module, and
// otherwise the VCS revision Go stamped into the binary, so a CI log always
// says which code produced it.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev + modified
	}
	return v + " " + bi.GoVersion
}

// newFlagSet returns a flag set that reports errors instead of exiting, and
// prints its usage to stderr, as every subcommand must on a bad flag.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("headway "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and tells the caller whether to go on; when not,
// code is the exit status (0 after -h, 2 after a bad flag).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	default:
		return exitUsage, false
	}
}

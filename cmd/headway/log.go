package main

import (
	"fmt"
	"io"
	"os"

	"github.com/headwaywl/headway/compositor/neglog"
)

const logUsage = `headway log normalize [FILE...]

normalize copies negotiation logs (JSON lines) to stdout without their
volatile "vol" objects, so that the logs of two runs compare byte for byte.
It reads the FILEs in order, or stdin when there is none or FILE is "-".
A malformed line stops it with exit status 1 and the line's number.`

// logStdin is where "-" reads from; the command table hands commands no
// stdin, and tests replace it.
var logStdin io.Reader = os.Stdin

func init() {
	register(&command{
		name:    "log",
		summary: "normalize negotiation logs",
		usage:   logUsage,
		run:     runLog,
	})
}

func runLog(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage:\n%s\n", logUsage)
		return exitUsage
	}
	switch args[0] {
	case "normalize":
		return runLogNormalize(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "headway log: unknown subcommand %q\nusage:\n%s\n", args[0], logUsage)
		return exitUsage
	}
}

func runLogNormalize(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("log normalize", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, name := range files {
		if err := normalizeFile(name, stdout); err != nil {
			fmt.Fprintf(stderr, "headway log normalize: %v\n", err)
			return exitFailure
		}
	}
	return exitOK
}

// normalizeFile normalizes one input; errors name the file, and
// neglog's name the line.
func normalizeFile(name string, stdout io.Writer) error {
	if name == "-" {
		if err := neglog.Normalize(logStdin, stdout); err != nil {
			return fmt.Errorf("stdin: %w", err)
		}
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := neglog.Normalize(f, stdout); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Command headway is the one binary of the headway project: a headless
// Wayland compositor for testing graphics stacks.
//
// Every subcommand is a function from arguments and two writers to an exit
// status, so tests drive the real command without a subprocess. Exit status
// 0 means success, 1 a failure of the work itself (a bad value, a failed
// check), and 2 a usage error: an unknown subcommand or flag, printed with
// the usage to stderr. Machine-readable output (--json, tab-separated lines)
// goes to stdout only, so it can be piped.
package main

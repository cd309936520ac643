// Package testchild starts a package's test binary again as a child process
// running one helper test, for tests that need two processes (a peer that
// dies, a second fd table).
//
// Invariant: when the parent runs with coverage (go test -cover, as
// mutation testing does), the child writes its counters into the parent's
// coverage directory, so code that runs only in the child counts as
// covered; without coverage the child's arguments are the run pattern and
// nothing else.
package testchild

//go:build race

package compose

// raceDetector says the tests run under the race detector, which makes
// composing some ten times slower; the heaviest tests then run a sample
// of their cases.
const raceDetector = true

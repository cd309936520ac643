//go:build !race

package compose

// raceDetector: see race_on_test.go.
const raceDetector = false

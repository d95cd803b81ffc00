//go:build !race

package soak_test

// raceEnabled reports that the tests are built with the race detector, and
// so is the function they run.
const raceEnabled = false

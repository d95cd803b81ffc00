//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// On systems without Unix process groups and signals (Windows), fcinvoke
// can only end the command it started, and only forcibly.

func setProcessGroup(*exec.Cmd) {}

func terminateGroup(p *os.Process) error { return p.Kill() }

func killGroup(p *os.Process) error { return p.Kill() }

func diedOfSIGTERM(*exec.ExitError) bool { return false }

func groupAlive(int) bool { return false }

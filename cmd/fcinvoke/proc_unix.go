//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
)

// setProcessGroup makes the command the leader of a new process group, so
// that fcinvoke can signal it together with everything it starts (the
// program "go run" builds and runs, for one).
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminateGroup sends SIGTERM to the process group led by p.
func terminateGroup(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGTERM) }

// killGroup sends SIGKILL to the process group led by p.
func killGroup(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGKILL) }

// diedOfSIGTERM reports whether the process was ended by SIGTERM.
func diedOfSIGTERM(err *exec.ExitError) bool {
	ws, ok := err.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM
}

// groupAlive reports whether process group pgid still has a running
// member. Zombies do not count: a grandchild orphaned by "go run" may stay
// a zombie for a while (or for good, when PID 1 does not reap) after it
// exited.
func groupAlive(pgid int) bool {
	if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	if runtime.GOOS == "linux" || runtime.GOOS == "android" {
		if alive, ok := procGroupAlive(pgid); ok {
			return alive
		}
	}
	return true
}

// procGroupAlive scans /proc for a member of process group pgid that is not
// a zombie. ok is false when /proc cannot be read.
func procGroupAlive(pgid int) (alive, ok bool) {
	dir, err := os.Open("/proc")
	if err != nil {
		return false, false
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return false, false
	}
	want := []byte(strconv.Itoa(pgid))
	for _, name := range names {
		if name == "" || name[0] < '0' || name[0] > '9' {
			continue
		}
		stat, err := os.ReadFile("/proc/" + name + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may contain anything, so
		// parse from the last ')'.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		fields := bytes.Fields(stat[i+1:])
		if len(fields) < 3 || !bytes.Equal(fields[2], want) {
			continue
		}
		if state := fields[0]; len(state) == 1 && (state[0] == 'Z' || state[0] == 'X') {
			continue
		}
		return true, true
	}
	return false, true
}

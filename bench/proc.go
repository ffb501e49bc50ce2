package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/PID/stat's CPU times: USER_HZ, which Linux
// fixes at 100 a second for user space whatever the kernel's own tick.
const clockTick = 10 * time.Millisecond

// procCPU is the CPU time (user + system) a process has used so far, from the
// kernel's own accounting.
func procCPU(pid int) (time.Duration, error) {
	if pid == 0 {
		return 0, fmt.Errorf("no process")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime + stime (fields 14 and 15) from a /proc/PID/stat
// line. The command name (field 2) is in parentheses and may hold spaces and
// parentheses itself, so the fields are counted from the last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command name in %.60q", stat)
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("too few fields in %.60q", stat)
	}
	var ticks int64
	for _, s := range f[11:13] { // fields 14 (utime) and 15 (stime)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("CPU time %q: %w", s, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, nil
}

// cpuPerRequest is the CPU a server spent on each request, in µs.
func cpuPerRequest(cpu time.Duration, requests int) float64 {
	if requests == 0 || cpu <= 0 {
		return 0
	}
	return round(float64(cpu.Microseconds())/float64(requests), 1)
}

// procMemory reads a process's peak (VmHWM) and current (VmRSS) resident memory in MiB.
func procMemory(pid int) (peak, now float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmHWM: %f kB", &kb); err == nil {
			peak = round(kb/1024, 1)
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
			now = round(kb/1024, 1)
		}
	}
	return peak, now
}

package web_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The dashboard run as a child process, built from this tree, so that its
// memory can be read: shared by the load benchmarks and the soak.

// dashboardProcess is enidash built from this tree and run as a child
// process on its embedded emulator, so its memory can be read.
type dashboardProcess struct {
	cmd  *exec.Cmd
	base string
	log  string
}

// startDashboard builds the program from the repository root (the parent
// of this package) and runs it on a free loopback port, with a fresh
// database, admin's password set, and no cloud credentials or enidash
// settings from the environment. It is stopped when the benchmark ends.
func startDashboard(tb testing.TB, password string) *dashboardProcess {
	tb.Helper()
	dir := tb.TempDir()
	return runDashboard(tb, buildEnidash(tb, dir), dir, []string{"ENIDASH_ADMIN_PASSWORD=" + password}, "--cloud", "emulator")
}

// buildEnidash builds the program from the repository root (the parent of
// this package) into dir and returns the binary's path.
func buildEnidash(tb testing.TB, dir string) string {
	tb.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		tb.Fatalf("the repository root: %v", err)
	}
	bin := filepath.Join(dir, "enidash")
	build := exec.Command(goTool(), "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr is a loopback address nothing listens on right now.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runDashboard runs the dashboard bin on a free loopback port with its
// database and log in dir, env added to a clean environment and args
// added to its flags, and waits until it answers /healthz.
func runDashboard(tb testing.TB, bin, dir string, env []string, args ...string) *dashboardProcess {
	tb.Helper()
	addr := freeAddr(tb)
	p := &dashboardProcess{base: "http://" + addr, log: filepath.Join(dir, "enidash.log")}
	logf, err := os.Create(p.log)
	if err != nil {
		tb.Fatal(err)
	}
	defer logf.Close()
	p.cmd = exec.Command(bin, append([]string{"--addr", addr, "--db", filepath.Join(dir, "e.db"), "--log-level", "warn"}, args...)...)
	p.cmd.Env = append(append(cleanEnv(), "HOME="+dir), env...)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	if err := p.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { p.cmd.Wait(); close(exited) }()
	tb.Cleanup(func() { p.stop(tb, exited) })
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(p.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-exited:
			tb.Fatalf("enidash exited: %s", p.logTail())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("enidash did not answer /healthz within 30s: %s", p.logTail())
		}
	}
}

// stop asks the process to shut down, and kills it if it has not within
// 15 s.
func (p *dashboardProcess) stop(tb testing.TB, exited chan struct{}) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		tb.Logf("enidash did not stop on SIGTERM; killing it")
		_ = p.cmd.Process.Kill()
		<-exited
	}
}

func (p *dashboardProcess) logTail() string {
	b, _ := os.ReadFile(p.log)
	return string(b[max(0, len(b)-2000):])
}

// rssKB is the process's resident memory (VmRSS), in kB.
func (p *dashboardProcess) rssKB(tb testing.TB) float64 {
	tb.Helper()
	n, err := processRSSKB(p.cmd.Process.Pid)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// processRSSKB is the resident memory (VmRSS) of process pid, in kB.
func processRSSKB(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				return 0, fmt.Errorf("VmRSS %q: %w", v, err)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

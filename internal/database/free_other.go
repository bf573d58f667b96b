//go:build !linux

package database

// freeBytes cannot tell the free space here; the heartbeat write alone
// decides.
func freeBytes(string) (uint64, bool) { return 0, false }

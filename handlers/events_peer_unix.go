//go:build unix

package handlers

import (
	"net"
	"syscall"
)

// peerGone reports whether the browser at the other end of a taken-over
// connection has closed it, without waiting and without taking a byte:
// a peek that finds the end of the stream, or an error.
func peerGone(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	gone := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == nil:
			gone = n == 0
		case err == syscall.EAGAIN || err == syscall.EWOULDBLOCK || err == syscall.EINTR:
		default:
			gone = true
		}
		return true // never wait for data
	})
	return gone || err != nil
}

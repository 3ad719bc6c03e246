package main

import (
	"bufio"
	"net"
)

// newReader reads a CONNECT request byte by byte, so that no byte of the
// TLS handshake that follows it is swallowed by a buffer.
func newReader(c net.Conn) *bufio.Reader {
	return bufio.NewReaderSize(oneByte{c}, 16)
}

type oneByte struct{ c net.Conn }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.c.Read(p)
}

// Package failure is the one protocol of the errors a person reads: each
// says what went wrong in a stable code the popup keys on, and in a
// sentence with what to do next. It also holds what the packages that
// sort failures into such errors share.
package failure

import (
	"errors"
	"net"
	"net/url"
)

// Error is an error a person may read. Its Error text is for logs; the
// popup shows Message and chooses what to offer by Code.
type Error interface {
	error
	// Code is the stable name the popup receives, such as "not_connected".
	Code() string
	// Message is the sentence a person reads, with what to do next.
	Message() string
}

// Unreached reports a request that got no answer: the connection failed
// or was cut.
func Unreached(err error) bool {
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr)
}

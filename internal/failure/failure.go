// Package failure is the one protocol of the errors a person reads: each
// says what went wrong in a stable code the popup keys on, and in a
// sentence with what to do next.
package failure

// Error is an error a person may read. Its Error text is for logs; the
// popup shows Message and chooses what to offer by Code.
type Error interface {
	error
	// Code is the stable name the popup receives, such as "not_connected".
	Code() string
	// Message is the sentence a person reads, with what to do next.
	Message() string
}

// Package testcert makes the throwaway TLS certificate the fake servers use,
// and HTTP clients that reach a fake as if it were the real host.
package testcert

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// Hosts are the names the certificate is valid for: every host Visen talks
// to, so a browser told to ignore certificate errors or a Go client trusting
// the certificate can be pointed at a fake.
var Hosts = []string{
	"api.notion.com", "www.notion.so", "notion.so", "www.notion.com", "notion.com", "*.notion.site",
	"api.openai.com", "generativelanguage.googleapis.com", "openrouter.ai", "localhost",
}

// New makes a self-signed certificate for Hosts and 127.0.0.1, valid for a day.
func New() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "Visen test fakes"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              Hosts,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// MappedClient returns a client that sends every request, whatever its host,
// to addr over TLS, trusting only cert: the Go twin of a browser's host
// mapping.
func MappedClient(addr string, cert tls.Certificate) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: pool},
	}}
}

// T is what Serve needs of a test or benchmark. It is not testing.TB so
// that the fakes' command, which makes its certificate here, does not link
// the testing package.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Serve serves h over TLS on a local listener, with a new certificate,
// until t ends, and returns MappedClient for it: for what must cross a real
// connection, such as a model's stream, which an in-process handler gives
// only once it has finished.
func Serve(t T, h http.Handler) *http.Client {
	t.Helper()
	cert, err := New()
	if err != nil {
		t.Fatalf("testcert: %v", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return MappedClient(srv.Listener.Addr().String(), cert)
}

// Client returns a client whose every request h serves in process.
func Client(h http.Handler) *http.Client {
	return &http.Client{Transport: InProcess{Handler: h}}
}

// InProcess is a RoundTripper that serves each request with a handler
// directly, with no sockets, so tests run the same under GOOS=js.
type InProcess struct {
	Handler http.Handler
}

// RoundTrip implements http.RoundTripper. A handler that aborts (as a
// fake does to reset a connection) gives a network error, as over TCP.
func (p InProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			resp, err = nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
		}
	}()
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	if r.Body == nil {
		// A server always sees a body, if an empty one.
		r.Body = http.NoBody
	}
	p.Handler.ServeHTTP(rec, r)
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}

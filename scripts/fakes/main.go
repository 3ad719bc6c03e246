// Command fakes runs the strict fake Notion and OpenAI servers for the
// browser tests and the local demo. On start it prints one JSON line with
// its ports,
//
//	{"tls":P,"proxy":P,"ai_http":P,"control":P}
//
// then serves until SIGTERM or SIGINT. With -seed demo it prints one more
// line, {"opened":"start"}, the first time a browser opens the demo's start
// page (GET /start on the control port), so the demo script knows the
// browser is up; -describe prints the demo's secret, key, page and
// database and exits. The listeners are:
//
//   - tls: one TLS listener for every host, with a throwaway certificate,
//     routed by Host: api.notion.com is the Notion API; www.notion.so,
//     notion.so, www.notion.com, notion.com and *.notion.site are Notion's
//     pages; every other host (api.openai.com,
//     generativelanguage.googleapis.com, openrouter.ai, …) is the
//     OpenAI-compatible API. Chromium maps the real hosts here with
//     --host-resolver-rules; Firefox reaches it through the proxy.
//   - proxy: an HTTP proxy. CONNECT to any host is tunnelled, byte for byte,
//     to the TLS listener; a plain "GET http://host/…" is served as that
//     host would be.
//   - ai_http: the fake AI over plain HTTP, as a local Ollama (it refuses a
//     browser extension's Origin with 403, as Ollama does without
//     OLLAMA_ORIGINS) or a custom base URL (http://127.0.0.1:P/v1).
//   - control: plain HTTP for tests; see control.go for its routes.
//
// -seed test (the default) loads the fixed workspace the tests use:
//
//   - integration secret ntn_51742638402aVisenTestSecretDoNotUseAnywhere0ab,
//     bot "Visen Test Integration" in workspace "Acme Test Workspace";
//   - a second integration, "Other Integration", secret
//     ntn_90817263544bOtherIntegrationSecretForTests0bcd;
//   - a personal access token of Ada Lovelace's,
//     ntn_63829104755cAdaPersonalAccessTokenForTests0cde, which reaches every
//     page but "Grace's Notes" (0d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a), Grace
//     Hopper's private page;
//   - page "Quarterly Plan" 📈 (1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c),
//     connected, with two headings and two paragraphs;
//   - page "Private Notes" (2a1b9c8d-7e6f-40a1-b2c3-d4e5f6a7b8c9), connected
//     only to the other integration;
//   - page "Old Draft" (3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e), archived;
//   - database "Content Calendar" 🗓️ (4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f),
//     connected;
//   - AI key sk-test-visen-0123456789abcdefghijklmnop, models gpt-5-mini,
//     gpt-4.1, gemini-2.5-flash, openai/gpt-5-mini and llama3.2.
//
// GET /seed on the control port returns the same as JSON. -seed demo loads
// the demo instead: secret ntn_demo00000000VisenDemoSecretForTheLocalDemo00ab,
// bot "Visen Demo", a personal access token
// ntn_demo11111111PersonalTokenForTheLocalDemo0001cd, a demo page and
// database connected to the bot, a notes page that is not, AI key
// sk-demo-visen (or none)
// and, as the answer to each prompt, a Markdown article about what that
// prompt asks.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/testworld/testcert"
)

func main() {
	seedName := flag.String("seed", "test", "the workspace to load: test or demo")
	describeDemo := flag.Bool("describe", false, "print the demo's secret, key, page and database, one \"name value\" to a line, and exit")
	flag.Parse()
	if *describeDemo {
		if err := describe(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "fakes:", err)
			os.Exit(1)
		}
		return
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	if err := run(*seedName, os.Stdout, stop); err != nil {
		fmt.Fprintln(os.Stderr, "fakes:", err)
		os.Exit(1)
	}
}

// run starts the fakes, prints their ports to out and serves until stop.
func run(seedName string, out io.Writer, stop <-chan os.Signal) error {
	f, err := newFakes(seedName)
	if err != nil {
		return err
	}
	// No one can open the start page before reading the ports, so its
	// event always follows them.
	f.events = out
	p, shutdown, err := f.start()
	if err != nil {
		return err
	}
	defer shutdown()
	if err := json.NewEncoder(out).Encode(p); err != nil {
		return err
	}
	<-stop
	return nil
}

// fakes holds both fake servers and the web requests they do not record.
type fakes struct {
	seedName string
	cert     tls.Certificate
	notion   *fakenotion.Server
	ai       *fakeai.Server
	mu       sync.Mutex
	web      []fakenotion.Request
	// events is where the demo's start page says it was opened, once.
	events io.Writer
	opened sync.Once
}

// ports are the listeners' ports, as printed on start.
type ports struct {
	TLS     int `json:"tls"`
	Proxy   int `json:"proxy"`
	AIHTTP  int `json:"ai_http"`
	Control int `json:"control"`
}

func newFakes(seedName string) (*fakes, error) {
	if seedName != "test" && seedName != "demo" {
		return nil, fmt.Errorf("unknown seed %q: use test or demo", seedName)
	}
	cert, err := testcert.New()
	if err != nil {
		return nil, err
	}
	f := &fakes{seedName: seedName, cert: cert}
	ns, ac := f.seed()
	f.notion, f.ai = fakenotion.New(ns), fakeai.New(ac)
	return f, nil
}

func (f *fakes) seed() (fakenotion.Seed, fakeai.Config) {
	if f.seedName == "demo" {
		return demoSeed()
	}
	return testSeed()
}

// start listens on four random loopback ports and serves them until the
// returned function is called.
func (f *fakes) start() (ports, func(), error) {
	var ls []net.Listener
	closeAll := func() {
		for _, l := range ls {
			l.Close()
		}
	}
	for range 4 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			closeAll()
			return ports{}, nil, err
		}
		ls = append(ls, l)
	}
	tlsL, proxyL, aiL, ctlL := ls[0], ls[1], ls[2], ls[3]
	// Clients that give up mid-answer are routine here; their errors are noise.
	quiet := log.New(io.Discard, "", 0)
	tlsSrv := &http.Server{Handler: f.hosts(), TLSConfig: &tls.Config{Certificates: []tls.Certificate{f.cert}}, ErrorLog: quiet}
	servers := []*http.Server{
		tlsSrv,
		{Handler: f.proxy(tlsL.Addr().String()), ErrorLog: quiet},
		{Handler: f.ai.Ollama(), ErrorLog: quiet},
		{Handler: f.control(), ErrorLog: quiet},
	}
	go func() { _ = tlsSrv.ServeTLS(tlsL, "", "") }()
	for i, s := range servers[1:] {
		go func() { _ = s.Serve(ls[i+1]) }()
	}
	port := func(l net.Listener) int { return l.Addr().(*net.TCPAddr).Port }
	shutdown := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, s := range servers {
			_ = s.Shutdown(ctx)
		}
	}
	return ports{TLS: port(tlsL), Proxy: port(proxyL), AIHTTP: port(aiL), Control: port(ctlL)}, shutdown, nil
}

// hosts routes a request by the host it was meant for.
func (f *fakes) hosts() http.Handler {
	api, web := f.notion.API(), f.notion.Web()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		switch {
		case host == "api.notion.com":
			api.ServeHTTP(w, r)
		case host == "notion.so" || host == "notion.com" || host == "www.notion.so" || host == "www.notion.com" ||
			strings.HasSuffix(host, ".notion.site"):
			f.mu.Lock()
			f.web = append(f.web, fakenotion.Request{Time: time.Now(), Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()})
			f.mu.Unlock()
			web.ServeHTTP(w, r)
		default:
			f.ai.ServeHTTP(w, r)
		}
	})
}

// proxy is the handler of an HTTP proxy that tunnels every CONNECT to the
// TLS listener at tlsAddr, where the fakes terminate TLS themselves, and
// serves plain proxied requests directly.
func (f *fakes) proxy(tlsAddr string) http.Handler {
	hosts := f.hosts()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			hosts.ServeHTTP(w, r)
			return
		}
		upstream, err := net.DialTimeout("tcp", tlsAddr, 5*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		client, buffered, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer client.Close()
		if _, err := io.WriteString(client, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
			return
		}
		done := make(chan struct{}, 2)
		// The reader may already hold the start of the TLS handshake.
		go func() { _, _ = io.Copy(upstream, buffered); done <- struct{}{} }()
		go func() { _, _ = io.Copy(client, upstream); done <- struct{}{} }()
		<-done
	})
}

// Command fakes runs the strict fake Notion and OpenAI servers for the
// browser tests and the local demo. It prints one JSON line with its ports:
//
//		{"tls":P,"proxy":P,"ai_http":P,"control":P}
//
//	  - tls: one TLS listener for every host, routed by Host: api.notion.com
//	    is the Notion API, www.notion.so and friends are Notion pages, every
//	    other host is the OpenAI-compatible API. Browsers map the real hosts
//	    here (Chromium: --host-resolver-rules; Firefox: the proxy below).
//	  - proxy: an HTTP CONNECT proxy that tunnels every host to the TLS port.
//	  - ai_http: the fake AI over plain HTTP, as a local Ollama or custom URL.
//	  - control: plain HTTP for tests: GET /seed, POST /reset, GET /requests,
//	    POST /notion/fault, POST /ai/fault, POST /ai/answer, GET /notion/children?id=.
//
// -seed test (the default) loads the fixed workspace the tests use; -seed
// demo loads the demo page and answer that `make demo` shows.
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

	"github.com/visen/visen/internal/fakeai"
	"github.com/visen/visen/internal/fakenotion"
	"github.com/visen/visen/internal/testcert"
)

func main() {
	seedName := flag.String("seed", "test", "the workspace to load: test or demo")
	flag.Parse()
	if err := run(*seedName); err != nil {
		fmt.Fprintln(os.Stderr, "fakes:", err)
		os.Exit(1)
	}
}

type fakes struct {
	seedName string
	notion   *fakenotion.Server
	ai       *fakeai.Server
	mu       sync.Mutex
	web      []fakenotion.Request
}

func (f *fakes) seed() (fakenotion.Seed, fakeai.Config) {
	if f.seedName == "demo" {
		return demoSeed()
	}
	return testSeed()
}

func run(seedName string) error {
	if seedName != "test" && seedName != "demo" {
		return fmt.Errorf("unknown seed %q: use test or demo", seedName)
	}
	f := &fakes{seedName: seedName}
	ns, ac := f.seed()
	f.notion, f.ai = fakenotion.New(ns), fakeai.New(ac)

	cert, err := testcert.New()
	if err != nil {
		return err
	}
	listen := func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
	tlsL, err := listen()
	if err != nil {
		return err
	}
	proxyL, err := listen()
	if err != nil {
		return err
	}
	aiL, err := listen()
	if err != nil {
		return err
	}
	ctlL, err := listen()
	if err != nil {
		return err
	}
	quiet := log.New(io.Discard, "", 0)
	servers := []*http.Server{
		{Handler: f.hosts(), TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}, ErrorLog: quiet},
		{Handler: f.ai, ErrorLog: quiet},
		{Handler: f.control(), ErrorLog: quiet},
	}
	go func() { _ = servers[0].ServeTLS(tlsL, "", "") }()
	go func() { _ = servers[1].Serve(aiL) }()
	go func() { _ = servers[2].Serve(ctlL) }()
	go proxy(proxyL, tlsL.Addr().String())

	port := func(l net.Listener) int { return l.Addr().(*net.TCPAddr).Port }
	if err := json.NewEncoder(os.Stdout).Encode(map[string]int{
		"tls": port(tlsL), "proxy": port(proxyL), "ai_http": port(aiL), "control": port(ctlL),
	}); err != nil {
		return err
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	proxyL.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(ctx)
	}
	return nil
}

// hosts routes the TLS listener by the host a browser asked for.
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
		case host == "notion.so" || host == "notion.com" || strings.HasSuffix(host, ".notion.so") ||
			strings.HasSuffix(host, ".notion.com") || strings.HasSuffix(host, ".notion.site"):
			f.mu.Lock()
			f.web = append(f.web, fakenotion.Request{Time: time.Now(), Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()})
			f.mu.Unlock()
			web.ServeHTTP(w, r)
		default:
			f.ai.ServeHTTP(w, r)
		}
	})
}

func (f *fakes) control() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>Not Notion</title><p>This page is not on Notion.</p>")
	})
	mux.HandleFunc("GET /seed", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, seedInfo(f.seedName))
	})
	mux.HandleFunc("POST /reset", func(w http.ResponseWriter, _ *http.Request) {
		ns, ac := f.seed()
		f.notion.Reset(ns)
		f.ai.Reset(ac)
		f.mu.Lock()
		f.web = nil
		f.mu.Unlock()
		reply(w, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET /requests", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		web := append([]fakenotion.Request(nil), f.web...)
		f.mu.Unlock()
		reply(w, map[string]any{"notion": f.notion.Requests(), "ai": f.ai.Requests(), "web": web})
	})
	mux.HandleFunc("POST /notion/fault", func(w http.ResponseWriter, r *http.Request) {
		var fault fakenotion.Fault
		if decode(w, r, &fault) {
			f.notion.Fail(fault)
			reply(w, map[string]bool{"ok": true})
		}
	})
	mux.HandleFunc("POST /ai/fault", func(w http.ResponseWriter, r *http.Request) {
		var fault fakeai.Fault
		if decode(w, r, &fault) {
			f.ai.Fail(fault)
			reply(w, map[string]bool{"ok": true})
		}
	})
	mux.HandleFunc("POST /ai/answer", func(w http.ResponseWriter, r *http.Request) {
		var a struct{ Text string }
		if decode(w, r, &a) {
			f.ai.QueueAnswer(a.Text)
			reply(w, map[string]bool{"ok": true})
		}
	})
	mux.HandleFunc("POST /ai/pace", func(w http.ResponseWriter, r *http.Request) {
		var p struct{ TokensPerSecond int }
		if decode(w, r, &p) {
			f.ai.SetPace(p.TokensPerSecond)
			reply(w, map[string]bool{"ok": true})
		}
	})
	mux.HandleFunc("GET /notion/children", func(w http.ResponseWriter, r *http.Request) {
		reply(w, f.notion.Children(r.URL.Query().Get("id")))
	})
	return mux
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// proxy accepts CONNECT requests and tunnels each to the TLS listener, which
// serves every host with the throwaway certificate.
func proxy(l net.Listener, target string) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go tunnel(conn, target)
	}
}

func tunnel(client net.Conn, target string) {
	defer client.Close()
	_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
	req, err := http.ReadRequest(newReader(client))
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		_, _ = io.WriteString(client, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	_ = client.SetReadDeadline(time.Time{})
	upstream, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		_, _ = io.WriteString(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer upstream.Close()
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(upstream, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, upstream); done <- struct{}{} }()
	<-done
}

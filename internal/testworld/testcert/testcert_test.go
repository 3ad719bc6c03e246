package testcert

import (
	"context"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCertificateNamesEveryHost(t *testing.T) {
	cert, err := New()
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	for _, host := range []string{
		"api.notion.com", "www.notion.so", "notion.so", "www.notion.com", "notion.com", "acme.notion.site",
		"api.openai.com", "generativelanguage.googleapis.com", "openrouter.ai", "localhost", "127.0.0.1",
	} {
		_, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: pool})
		assert.NoError(t, err, host)
	}
	_, err = cert.Leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool})
	assert.Error(t, err)
}

func TestInProcess(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/abort" {
			panic(http.ErrAbortHandler)
		}
		body, _ := io.ReadAll(r.Body)
		_, _ = io.WriteString(w, r.Method+" "+r.Host+r.URL.RequestURI()+" "+string(body))
	})
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name, method, url, body string
		ctx                     context.Context
		want                    string
		wantNetErr, wantCancel  bool
	}{
		{name: "get", method: "GET", url: "https://api.notion.com/v1/users/me?x=1", want: "GET api.notion.com/v1/users/me?x=1 "},
		{name: "body", method: "PATCH", url: "https://api.notion.com/v1/blocks", body: "{}", want: "PATCH api.notion.com/v1/blocks {}"},
		{name: "aborted handler", method: "GET", url: "https://api.openai.com/abort", wantNetErr: true},
		{name: "canceled", method: "GET", url: "https://api.openai.com/", ctx: canceled, wantCancel: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequestWithContext(ctx, tt.method, tt.url, body)
			require.NoError(t, err)
			resp, err := Client(h).Do(req)
			switch {
			case tt.wantNetErr:
				var netErr net.Error
				assert.ErrorAs(t, err, &netErr)
			case tt.wantCancel:
				assert.ErrorIs(t, err, context.Canceled)
			default:
				require.NoError(t, err)
				defer resp.Body.Close()
				got, _ := io.ReadAll(resp.Body)
				assert.Equal(t, tt.want, string(got))
			}
		})
	}
}

//go:build !js

package testcert

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMappedClient(t *testing.T) {
	cert, err := New()
	require.NoError(t, err)
	other, err := New()
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Host)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()

	tests := []struct {
		name    string
		trust   tls.Certificate
		url     string
		want    string
		wantErr bool
	}{
		{name: "notion api", trust: cert, url: "https://api.notion.com/v1/users/me", want: "api.notion.com"},
		{name: "notion site", trust: cert, url: "https://acme.notion.site/", want: "acme.notion.site"},
		{name: "host outside the certificate", trust: cert, url: "https://example.com/", wantErr: true},
		{name: "another certificate", trust: other, url: "https://api.openai.com/v1/models", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := MappedClient(srv.Listener.Addr().String(), tt.trust).Get(tt.url)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

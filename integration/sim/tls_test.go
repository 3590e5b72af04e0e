package sim_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rtdash/rtdash/integration/sim"
)

func TestLoadOrCreateCAWritesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	ca, err := sim.LoadOrCreateCA(dir)
	if err != nil {
		t.Fatalf("LoadOrCreateCA: %v", err)
	}
	modes := map[string]fs.FileMode{sim.CACertFile: 0o644, sim.CAKeyFile: 0o600}
	for name, want := range modes {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("stat %s: %v", name, err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s mode = %v, want %v", name, got, want)
		}
	}
	written, err := os.ReadFile(filepath.Join(dir, sim.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, ca.CertPEM()) {
		t.Error("ca.pem differs from CertPEM")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("directory contains %d entries, want only %s and %s", len(entries), sim.CACertFile, sim.CAKeyFile)
	}

	again, err := sim.LoadOrCreateCA(dir)
	if err != nil {
		t.Fatalf("second LoadOrCreateCA: %v", err)
	}
	if !bytes.Equal(again.CertPEM(), ca.CertPEM()) {
		t.Error("second LoadOrCreateCA returned a different CA certificate")
	}
}

// TestCADirSurvivesRestart starts a simulator with a CA directory, stops
// it and starts a second one with the same directory. A client that
// trusts only the first simulator's CA certificate must reach both.
func TestCADirSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	start := func() *sim.Simulator {
		ca, err := sim.LoadOrCreateCA(dir)
		if err != nil {
			t.Fatalf("LoadOrCreateCA: %v", err)
		}
		s, _ := startSim(t, func(cfg *sim.Config) { cfg.CA = ca })
		return s
	}
	first := start()
	firstPEM := first.CAPEM()
	client := httpClient(t, first)
	firstLeaf := checkReachable(t, client, first)
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := start()
	if !bytes.Equal(second.CAPEM(), firstPEM) {
		t.Error("second simulator's CAPEM differs from the first one's")
	}
	client.CloseIdleConnections()
	secondLeaf := checkReachable(t, client, second)
	if firstLeaf.SerialNumber.Cmp(secondLeaf.SerialNumber) == 0 {
		t.Error("second simulator serves the first one's server certificate, want a new one")
	}
}

func TestSimulatorsWithoutCAUseDifferentCAs(t *testing.T) {
	first, _ := startSim(t, nil)
	second, _ := startSim(t, nil)
	if bytes.Equal(first.CAPEM(), second.CAPEM()) {
		t.Fatal("two simulators without Config.CA share a CA certificate")
	}
	_, err := httpClient(t, first).Get(baseURL(second) + "/api/command")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("request to the second simulator trusting the first one's CA: err = %v, want x509.UnknownAuthorityError", err)
	}
}

func TestLoadOrCreateCARejectsBrokenDirectory(t *testing.T) {
	source := t.TempDir()
	if _, err := sim.LoadOrCreateCA(source); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if _, err := sim.LoadOrCreateCA(other); err != nil {
		t.Fatal(err)
	}
	read := func(dir, name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	cases := []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"key only", map[string][]byte{sim.CAKeyFile: read(source, sim.CAKeyFile)}, "is missing"},
		{"certificate only", map[string][]byte{sim.CACertFile: read(source, sim.CACertFile)}, "is missing"},
		{"mismatched key", map[string][]byte{
			sim.CACertFile: read(source, sim.CACertFile),
			sim.CAKeyFile:  read(other, sim.CAKeyFile),
		}, "does not match"},
		{"certificate not PEM", map[string][]byte{
			sim.CACertFile: []byte("not a certificate"),
			sim.CAKeyFile:  read(source, sim.CAKeyFile),
		}, "no CERTIFICATE PEM block"},
		{"key not PEM", map[string][]byte{
			sim.CACertFile: read(source, sim.CACertFile),
			sim.CAKeyFile:  []byte("not a key"),
		}, "no PKCS #8 PRIVATE KEY PEM block"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := sim.LoadOrCreateCA(dir)
			if err == nil {
				t.Fatal("LoadOrCreateCA returned no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			for name, data := range tc.files {
				if got := read(dir, name); !bytes.Equal(got, data) {
					t.Errorf("LoadOrCreateCA changed %s", name)
				}
			}
		})
	}
}

// checkReachable sends a check_health command over TLS, fails the test
// unless the handshake succeeds and returns the server certificate.
func checkReachable(t *testing.T, client *http.Client, s *sim.Simulator) *x509.Certificate {
	t.Helper()
	resp, err := client.Get(baseURL(s) + "/api/command?action=check_health")
	if err != nil {
		t.Fatalf("request to %s: %v", s.Addr(), err)
	}
	resp.Body.Close()
	if resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 {
		t.Fatalf("response from %s has no TLS peer certificates", s.Addr())
	}
	return resp.TLS.PeerCertificates[0]
}

package sim

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Names of the files LoadOrCreateCA keeps in its directory.
const (
	CACertFile = "ca.pem"     // CA certificate, PEM, mode 0644
	CAKeyFile  = "ca-key.pem" // CA private key, PKCS #8 PEM, mode 0600
)

// CertificateAuthority is the CA that signs the simulator's server
// certificate. Sharing one between simulators, or keeping it on disk with
// LoadOrCreateCA, lets a client keep trusting the same CA certificate
// across simulator restarts.
type CertificateAuthority struct {
	cert    *x509.Certificate
	key     crypto.Signer
	certPEM []byte
}

// NewCertificateAuthority generates an ECDSA P-256 self-signed CA, valid
// from one hour before the host time for ten years.
func NewCertificateAuthority() (*CertificateAuthority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sim: generate CA key: %w", err)
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "rtdash appliance simulator CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("sim: create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("sim: parse CA certificate: %w", err)
	}
	return &CertificateAuthority{
		cert:    cert,
		key:     key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	}, nil
}

// LoadOrCreateCA loads the CA kept in dir, or generates one and writes it
// there when dir contains neither CACertFile nor CAKeyFile. It creates dir
// with mode 0700 if it is missing. It returns an error when only one of
// the two files exists or either does not parse. It also returns one when
// the key does not match the certificate, or the certificate is not a CA
// or is outside its validity period. Deleting both files starts a new CA.
func LoadOrCreateCA(dir string) (*CertificateAuthority, error) {
	certPath := filepath.Join(dir, CACertFile)
	keyPath := filepath.Join(dir, CAKeyFile)
	certPEM, certErr := os.ReadFile(certPath)
	keyPEM, keyErr := os.ReadFile(keyPath)
	certMissing := errors.Is(certErr, fs.ErrNotExist)
	keyMissing := errors.Is(keyErr, fs.ErrNotExist)
	switch {
	case certMissing && keyMissing:
		return createCA(dir, certPath, keyPath)
	case certErr != nil && !certMissing:
		return nil, fmt.Errorf("sim: read CA certificate: %w", certErr)
	case keyErr != nil && !keyMissing:
		return nil, fmt.Errorf("sim: read CA key: %w", keyErr)
	case certMissing:
		return nil, fmt.Errorf("sim: %s exists but %s is missing, so restore it or delete both files to generate a new CA", keyPath, certPath)
	case keyMissing:
		return nil, fmt.Errorf("sim: %s exists but %s is missing, so restore it or delete both files to generate a new CA", certPath, keyPath)
	}
	ca, err := parseCA(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("sim: CA in %s: %w", dir, err)
	}
	return ca, nil
}

// createCA generates a CA and writes it to dir. The key is written first
// and each file is renamed into place only when complete, so an
// interrupted write leaves no half-written file behind.
// NOTE: two simulators creating the same directory at the same moment can
// leave the key of one next to the certificate of the other. The next
// LoadOrCreateCA then reports the mismatch.
func createCA(dir, certPath, keyPath string) (*CertificateAuthority, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sim: create CA directory: %w", err)
	}
	ca, err := NewCertificateAuthority()
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return nil, fmt.Errorf("sim: encode CA key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := writeFileAtomic(keyPath, keyPEM, 0o600); err != nil {
		return nil, fmt.Errorf("sim: write CA key: %w", err)
	}
	if err := writeFileAtomic(certPath, ca.certPEM, 0o644); err != nil {
		return nil, fmt.Errorf("sim: write CA certificate: %w", err)
	}
	return ca, nil
}

// writeFileAtomic writes data to a temporary file in the directory of
// path, sets its mode and renames it to path.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	file, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(file.Name()) // fails harmlessly once the rename has moved the file
	if err := file.Chmod(mode); err != nil {
		file.Close()
		return err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	return os.Rename(file.Name(), path)
}

// parseCA decodes a CA certificate and its PKCS #8 private key and checks
// that they belong together and that the certificate can sign now.
func parseCA(certPEM, keyPEM []byte) (*CertificateAuthority, error) {
	certBlock, _ := pem.Decode(certPEM)
	if certBlock == nil || certBlock.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s contains no CERTIFICATE PEM block", CACertFile)
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", CACertFile, err)
	}
	if !cert.IsCA || cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, fmt.Errorf("%s is not a CA certificate with the certificate-signing key usage", CACertFile)
	}
	if now := time.Now(); now.After(cert.NotAfter) || now.Before(cert.NotBefore) {
		return nil, fmt.Errorf("%s is valid from %v to %v, which excludes the host time %v, so delete both files to generate a new CA",
			CACertFile, cert.NotBefore, cert.NotAfter, now.Format(time.RFC3339))
	}

	keyBlock, _ := pem.Decode(keyPEM)
	if keyBlock == nil || keyBlock.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s contains no PKCS #8 PRIVATE KEY PEM block", CAKeyFile)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", CAKeyFile, err)
	}
	key, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s contains a %T, which cannot sign", CAKeyFile, parsed)
	}
	if !publicKeysEqual(key.Public(), cert.PublicKey) {
		return nil, fmt.Errorf("the key in %s does not match the certificate in %s", CAKeyFile, CACertFile)
	}
	return &CertificateAuthority{
		cert:    cert,
		key:     key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
	}, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	aDER, errA := x509.MarshalPKIXPublicKey(a)
	bDER, errB := x509.MarshalPKIXPublicKey(b)
	return errA == nil && errB == nil && bytes.Equal(aDER, bDER)
}

// CertPEM returns the PEM-encoded CA certificate. Clients add it to their
// root pool.
func (ca *CertificateAuthority) CertPEM() []byte {
	return bytes.Clone(ca.certPEM)
}

// issueServerCertificate generates a key and a leaf certificate for
// 127.0.0.1, ::1 and localhost, signed by ca. The leaf is valid from one
// hour before the host time for one year, or until the CA expires if that
// is sooner. TLS checks use the host clock, so a skewed or accelerated
// appliance clock does not matter.
func (ca *CertificateAuthority) issueServerCertificate() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate server key: %w", err)
	}
	now := time.Now()
	notAfter := now.AddDate(1, 0, 0)
	if notAfter.After(ca.cert.NotAfter) {
		notAfter = ca.cert.NotAfter
	}
	template := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}, nil
}

func randomSerial() *big.Int {
	limit := new(big.Int).Lsh(big.NewInt(1), 127)
	serial, err := rand.Int(rand.Reader, limit)
	if err != nil {
		// crypto/rand.Reader does not fail on supported platforms.
		panic(err)
	}
	return serial
}

package samlmeta

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"
)

// TestPublicKeyOf reads the key of certificates crypto/x509 refuses for
// their negative serial number (WSO2 Identity Server, Windows self-signed
// certificates), and of ordinary ones, RSA or ECDSA.
func TestPublicKeyOf(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		pub, key any
		negative bool
	}{
		{"RSA", &rk.PublicKey, rk, false},
		{"RSA, negative serial", &rk.PublicKey, rk, true},
		{"ECDSA, negative serial", &ek.PublicKey, ek, true},
	} {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(5), Subject: pkix.Name{CommonName: "idp.fictif.example"},
			NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, c.pub, c.key)
		if err != nil {
			t.Fatal(err)
		}
		if c.negative {
			i := strings.Index(string(der), "\x02\x01\x05")
			der[i+2] = 0x85
			if _, err := ParseCertificate(base64.StdEncoding.EncodeToString(der)); err == nil {
				t.Fatalf("%s: crypto/x509 parses it", c.name)
			}
		}
		k, err := PublicKeyOf(base64.StdEncoding.EncodeToString(der))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !k.(interface{ Equal(crypto.PublicKey) bool }).Equal(c.pub) {
			t.Errorf("%s: another key", c.name)
		}
		if kc := KeyOnlyCert(k); kc.NotAfter.Year() != 9999 || kc.PublicKeyAlgorithm == x509.UnknownPublicKeyAlgorithm {
			t.Errorf("%s: key-only certificate %v", c.name, kc)
		}
	}
	for _, bad := range []string{"", "not base64!", base64.StdEncoding.EncodeToString([]byte("0\x03\x02\x01\x05"))} {
		if _, err := PublicKeyOf(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

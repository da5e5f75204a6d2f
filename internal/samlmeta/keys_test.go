package samlmeta

import (
	"bytes"
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
			if _, err := x509.ParseCertificate(der); err == nil {
				t.Fatalf("%s: crypto/x509 parses it", c.name)
			}
			// ParseCertificate reads it whole, with its negative
			// serial number, its dates, its subject and its own bytes.
			pc, err := ParseCertificate(base64.StdEncoding.EncodeToString(der))
			switch {
			case err != nil:
				t.Errorf("%s: %v", c.name, err)
			case pc.SerialNumber.Int64() != -123 || !pc.NotAfter.Equal(tmpl.NotAfter) || pc.Subject.CommonName != "idp.fictif.example" ||
				!bytes.Equal(pc.Raw, der) || !bytes.Contains(der, pc.RawTBSCertificate) || !pc.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(c.pub):
				t.Errorf("%s: read as serial %v, %v, %q", c.name, pc.SerialNumber, pc.NotAfter, pc.Subject.CommonName)
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

// TestParseCertificateLongNegativeSerial: the shape of Windows and old
// AD FS self-signed certificates, a 16-byte serial number whose first bit
// is set (written without the leading zero byte DER asks for a positive
// one): read whole, with its negative serial number.
func TestParseCertificateLongNegativeSerial(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	serial := new(big.Int).SetBytes([]byte{0x5a, 0x1e, 0x0b, 0x3c, 0x44, 0x9d, 0x81, 0x4f, 0xa6, 0x2b, 0x17, 0x60, 0xe3, 0x09, 0xc8, 0x51})
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "ADFS Signing - adfs.fictif.example"},
		NotBefore: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2029, 3, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(der, append([]byte{0x02, 0x10}, serial.Bytes()...))
	if i < 0 {
		t.Fatal("serial not found")
	}
	der[i+2] = 0xda
	c, err := ParseCertificate(base64.StdEncoding.EncodeToString(der))
	if err != nil {
		t.Fatal(err)
	}
	if c.SerialNumber.Sign() >= 0 || c.Subject.CommonName != tmpl.Subject.CommonName || !c.NotBefore.Equal(tmpl.NotBefore) || !bytes.Equal(c.Raw, der) {
		t.Errorf("read as serial %v, %q, from %v", c.SerialNumber, c.Subject.CommonName, c.NotBefore)
	}
	if !selfIssued(c) {
		t.Errorf("issuer and subject differ")
	}
	// Not a certificate, or a truncated one: still an error.
	for _, bad := range []string{base64.StdEncoding.EncodeToString(der[:len(der)-10]), base64.StdEncoding.EncodeToString([]byte("0\x03\x02\x01\x85"))} {
		if _, err := ParseCertificate(bad); err == nil {
			t.Errorf("%q: no error", bad[:16])
		}
	}
}

func selfIssued(c *x509.Certificate) bool { return bytes.Equal(c.RawIssuer, c.RawSubject) }

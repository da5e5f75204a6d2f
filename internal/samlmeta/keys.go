package samlmeta

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// SigningKey is one signing key of the IdP: an X.509 certificate, or a
// bare RSA key (ds:KeyValue/ds:RSAKeyValue, as Lemonldap::NG publishes by
// default; saml-metadata-2.0-os §2.4.1.1 lets ds:KeyInfo carry either).
type SigningKey struct {
	El   *etree.Element    // the ds:X509Certificate or ds:RSAKeyValue element
	Cert *x509.Certificate // nil for a bare key
	Key  *rsa.PublicKey    // set for a bare key
	Err  error             // set when it does not parse
	// KD is the KeyDescriptor's rank among the IDPSSODescriptor's
	// KeyDescriptors (from 1) and Use its use attribute ("" if none): a
	// certificate that does not parse is named by them.
	KD  int
	Use string
}

// SigningKeys returns the keys of the IdP's signing KeyDescriptors
// (use="signing" or no use): their X.509 certificates or, for a
// KeyDescriptor without any, its bare RSA keys.
func (md *Document) SigningKeys() (kds int, certs []SigningKey) {
	for rank, kd := range Children(md.IDP, NSMetadata, "KeyDescriptor") {
		use, ok := Attr(kd, "use")
		if ok && use != "signing" {
			continue
		}
		kds++
		xs := Descendants(kd, NSDSig, "X509Certificate")
		if len(xs) > 0 {
			for _, sc := range withoutIssuers(xs) {
				sc.KD, sc.Use = rank+1, use
				certs = append(certs, sc)
			}
			continue
		}
		for _, kv := range Descendants(kd, NSDSig, "RSAKeyValue") {
			k, err := ParseRSAKeyValue(kv)
			certs = append(certs, SigningKey{El: kv, Key: k, Err: err, KD: rank + 1, Use: use})
		}
	}
	return kds, certs
}

// withoutIssuers parses the certificates of one KeyDescriptor. When they
// form a chain (X509Data may carry the issuing CAs, W3C XML Signature
// §4.4.4), the CA certificates are left out: their own signature and dates
// are not the signing key's. A KeyDescriptor holding only CA certificates
// keeps them.
func withoutIssuers(xs []*etree.Element) []SigningKey {
	var all, leaves []SigningKey
	for _, x := range xs {
		c, err := ParseCertificate(xmlsafe.TextContent(x))
		sc := SigningKey{El: x, Cert: c, Err: err}
		all = append(all, sc)
		if err != nil || !(c.BasicConstraintsValid && c.IsCA) {
			leaves = append(leaves, sc)
		}
	}
	if len(leaves) == 0 || len(leaves) == len(all) {
		return all
	}
	return leaves
}

// ParseRSAKeyValue reads a ds:RSAKeyValue (W3C XML Signature §4.4.2.2):
// base64 Modulus and Exponent.
func ParseRSAKeyValue(kv *etree.Element) (*rsa.PublicKey, error) {
	num := func(tag string) (*big.Int, error) {
		el := Child(kv, NSDSig, tag)
		if el == nil {
			return nil, input.Problemf("RSAKeyValue without %s", "RSAKeyValue sans %s", tag)
		}
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xmlsafe.TextContent(el)), ""))
		if err != nil || len(b) == 0 {
			return nil, input.Problemf("RSAKeyValue %s is not base64", "RSAKeyValue : %s n'est pas en base64", tag)
		}
		return new(big.Int).SetBytes(b), nil
	}
	n, err := num("Modulus")
	if err != nil {
		return nil, err
	}
	e, err := num("Exponent")
	if err != nil {
		return nil, err
	}
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 {
		return nil, input.Problemf("RSAKeyValue exponent out of range", "exposant RSAKeyValue hors limites")
	}
	return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
}

// ParseCertificate decodes a base64 DER certificate, whitespace allowed.
//
// A certificate whose serial number is negative is read too: RFC 5280
// §4.1.2.2 forbids it, and crypto/x509 refuses it since Go 1.23 (unless
// GODEBUG x509negativeserial=1, which sdetcheck does not set), but old
// AD FS and Windows self-signed certificates, WSO2 Identity Server's
// generated ones and some Java stacks carry one, and the service
// providers trusting them read them. Its SerialNumber is the negative
// number: the caller reports the oddity (SAML-005 warns).
func ParseCertificate(b64 string) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
	if err != nil {
		return nil, input.Wrap(err, "decode base64", "décodage base64 impossible")
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		if nc := parseNegativeSerial(der); nc != nil {
			return nc, nil
		}
		return nil, input.Wrap(err, "parse X.509 certificate", "certificat X.509 illisible")
	}
	return c, nil
}

// parseNegativeSerial parses a certificate crypto/x509 refused, when its
// serial number is negative: the first byte of the serial is replaced by a
// positive one of the same length (so every other field keeps its place
// and bytes), crypto/x509 parses that copy whole (names, dates, key,
// extensions), and the certificate's own bytes and serial number are put
// back. The certificate's signature, which the copy breaks, is not what a
// metadata key is trusted by. It returns nil when the certificate is not
// one with a negative serial or does not parse even so.
func parseNegativeSerial(der []byte) *x509.Certificate {
	var cert struct {
		TBS asn1.RawValue
		Alg asn1.RawValue
		Sig asn1.RawValue
	}
	if rest, err := asn1.Unmarshal(der, &cert); err != nil || len(rest) > 0 {
		return nil
	}
	var field asn1.RawValue
	rest, err := asn1.Unmarshal(cert.TBS.Bytes, &field)
	if err == nil && field.Class == asn1.ClassContextSpecific && field.Tag == 0 { // version
		_, err = asn1.Unmarshal(rest, &field)
	}
	serial := field.Bytes
	if err != nil || field.Class != asn1.ClassUniversal || field.Tag != asn1.TagInteger || len(serial) == 0 || serial[0]&0x80 == 0 {
		return nil
	}
	// encoding/asn1 returns slices of its input: the serial's offset.
	off := cap(der) - cap(serial)
	if off < 0 || off+len(serial) > len(der) || !bytes.Equal(der[off:off+len(serial)], serial) {
		return nil
	}
	var n *big.Int
	if _, err := asn1.Unmarshal(field.FullBytes, &n); err != nil || n.Sign() >= 0 {
		return nil
	}
	patched := bytes.Clone(der)
	patched[off] = 0x01 // positive, and still the minimal encoding
	c, err := x509.ParseCertificate(patched)
	if err != nil {
		return nil
	}
	c.Raw = der
	c.RawTBSCertificate = cert.TBS.FullBytes
	c.SerialNumber = n
	return c
}

// PublicKeyOf reads the public key (SubjectPublicKeyInfo) of a base64 DER
// certificate that ParseCertificate refuses (an extension or a name
// crypto/x509 finds malformed; a negative serial number alone no longer
// is one). Only the certificate's structure up to the key is read:
// version, serial number, signature algorithm, issuer, validity, subject,
// key.
func PublicKeyOf(b64 string) (crypto.PublicKey, error) {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
	if err != nil {
		return nil, input.Wrap(err, "decode base64", "décodage base64 impossible")
	}
	var cert struct {
		TBS asn1.RawValue
		Alg asn1.RawValue
		Sig asn1.RawValue
	}
	if rest, err := asn1.Unmarshal(der, &cert); err != nil || len(rest) > 0 {
		return nil, input.Problemf("not a DER certificate", "pas un certificat DER")
	}
	rest := cert.TBS.Bytes
	var field asn1.RawValue
	// version [0] EXPLICIT (optional), serialNumber, signature, issuer,
	// validity, subject: skipped; subjectPublicKeyInfo: read.
	for i := 0; ; i++ {
		if rest, err = asn1.Unmarshal(rest, &field); err != nil {
			return nil, input.Problemf("truncated certificate", "certificat tronqué")
		}
		if i == 0 && field.Class == asn1.ClassContextSpecific && field.Tag == 0 {
			i--
			continue
		}
		if i == 5 {
			break
		}
	}
	k, err := x509.ParsePKIXPublicKey(field.FullBytes)
	if err != nil {
		return nil, input.Wrap(err, "parse the certificate's public key", "clé publique du certificat illisible")
	}
	return k, nil
}

// BareKeyCert wraps a bare public key for goxmldsig, which verifies with
// certificates: no dates limit a bare key.
func BareKeyCert(k *rsa.PublicKey) *x509.Certificate { return KeyOnlyCert(k) }

// KeyOnlyCert wraps a public key for goxmldsig's certificate store: a
// certificate holding the key only, valid at any date (goxmldsig checks
// the dates of the certificate it verifies with).
func KeyOnlyCert(k crypto.PublicKey) *x509.Certificate {
	alg := x509.UnknownPublicKeyAlgorithm
	switch k.(type) {
	case *rsa.PublicKey:
		alg = x509.RSA
	case *ecdsa.PublicKey:
		alg = x509.ECDSA
	case ed25519.PublicKey:
		alg = x509.Ed25519
	}
	return &x509.Certificate{PublicKey: k, PublicKeyAlgorithm: alg,
		NotAfter: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}
}

// Keys returns the signing keys that parse, as certificates (a bare RSA
// key becomes a certificate without dates, BareKeyCert).
func (md *Document) Keys() []*x509.Certificate {
	var keys []*x509.Certificate
	_, certs := md.SigningKeys()
	for _, sc := range certs {
		switch {
		case sc.Err != nil:
		case sc.Cert != nil:
			keys = append(keys, sc.Cert)
		default:
			keys = append(keys, BareKeyCert(sc.Key))
		}
	}
	return keys
}

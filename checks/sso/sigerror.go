package sso

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"strings"

	"github.com/beevik/etree"
)

// A signature that does not verify is said in words of sdetcheck's own,
// in French and English, decided from the signature itself rather than
// from the signature library's English message: that message is kept,
// when it says more, as the technical detail (in English).

// sigError is why a signature did not verify.
type sigError struct {
	en, fr string
	// cause is the signature library's error, kept as the technical
	// detail when the words above do not say it all.
	cause error
}

func (e *sigError) Error() string {
	if e.cause == nil {
		return e.en
	}
	return e.en + " (" + clip(e.cause.Error()) + ")"
}

// French says the problem in French; the library's English message, if
// kept, is marked as such ("détail technique en anglais").
func (e *sigError) French() string {
	if e.cause == nil {
		return e.fr
	}
	return e.fr + " (détail technique en anglais : " + clip(e.cause.Error()) + ")"
}

func (e *sigError) Unwrap() error { return e.cause }

var errNoSigningKey = &sigError{
	en: "the metadata publishes no signing key",
	fr: "les métadonnées ne publient aucune clé de signature",
}

// explainSignature says why el's signature did not verify with keys, err
// being the signature library's error.
func explainSignature(el *etree.Element, keys []*x509.Certificate, err error) error {
	if certs := signatureCerts(el); len(certs) > 0 && !anyPublished(certs, keys) {
		return &sigError{
			en: "the certificate sent with the signature is not one the metadata publishes (another key signed it)",
			fr: "le certificat joint à la signature n'est pas l'un de ceux que publient les métadonnées (une autre clé l'a signée)",
		}
	}
	return &sigError{
		en:    "the signature does not match the signed content (content changed after signing, unsupported algorithm or another key)",
		fr:    "la signature ne correspond pas au contenu signé (contenu modifié après la signature, algorithme non reconnu ou autre clé)",
		cause: err,
	}
}

// signatureCerts are the certificates el's own signature carries
// (ds:KeyInfo/ds:X509Data/ds:X509Certificate), decoded; those that do
// not decode are left out.
func signatureCerts(el *etree.Element) [][]byte {
	var out [][]byte
	for _, x := range descendants(child(el, nsDS, "Signature"), nsDS, "X509Certificate") {
		b64 := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, textOf(x))
		if der, err := base64.StdEncoding.DecodeString(b64); err == nil && len(der) > 0 {
			out = append(out, der)
		}
	}
	return out
}

func anyPublished(certs [][]byte, keys []*x509.Certificate) bool {
	for _, c := range certs {
		for _, k := range keys {
			if bytes.Equal(c, k.Raw) {
				return true
			}
		}
	}
	return false
}

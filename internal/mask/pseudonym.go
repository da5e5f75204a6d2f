package mask

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// keyLabel separates the pseudonym key from any other hash of the same
// bytes.
const keyLabel = "sdetcheck pseudonym key v1\x00"

// KeyPrefix is how much of each evidence file feeds the key.
const KeyPrefix = 1 << 20

// Pseudonymizer replaces identifiers by keyed pseudonyms: stable for one
// key (one export), not reversible from the report by trying every
// possible identifier since the key is not in it.
type Pseudonymizer struct {
	key [32]byte
	// ready is closed once key is known (nil: known from the start).
	ready chan struct{}
	err   error
}

// NewPseudonymizer returns a Pseudonymizer using key.
func NewPseudonymizer(key [32]byte) *Pseudonymizer { return &Pseudonymizer{key: key} }

// DerivePseudonymizer returns a Pseudonymizer whose key derive computes in
// its own goroutine, so that the work that will need pseudonyms can start
// meanwhile: ID waits for the key. wait waits too, and returns derive's
// error (the Pseudonymizer must not be used after an error).
func DerivePseudonymizer(derive func() ([32]byte, error)) (p *Pseudonymizer, wait func() error) {
	p = &Pseudonymizer{ready: make(chan struct{})}
	go func() {
		p.key, p.err = derive()
		close(p.ready)
	}()
	return p, func() error {
		<-p.ready
		return p.err
	}
}

// ID is "#" and the first 10 hex digits of HMAC-SHA256(key, s); "" stays "".
func (p *Pseudonymizer) ID(s string) string {
	if s == "" {
		return ""
	}
	if p.ready != nil {
		<-p.ready
	}
	m := hmac.New(sha256.New, p.key[:])
	m.Write([]byte(s))
	return "#" + hex.EncodeToString(m.Sum(nil))[:10]
}

// KeyDeriver derives a key from the evidence: SHA-256 of a label then of
// the first KeyPrefix bytes of each file, added in sorted name order by
// the caller.
type KeyDeriver struct {
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
}

// NewKeyDeriver starts a key derivation.
func NewKeyDeriver() *KeyDeriver {
	h := sha256.New()
	io.WriteString(h, keyLabel)
	return &KeyDeriver{h: h}
}

// Add feeds at most KeyPrefix bytes of r.
func (d *KeyDeriver) Add(r io.Reader) error {
	if _, err := io.Copy(d.h, io.LimitReader(r, KeyPrefix)); err != nil {
		return fmt.Errorf("read key material: %w", err)
	}
	return nil
}

// Key returns the derived key.
func (d *KeyDeriver) Key() [32]byte {
	var k [32]byte
	copy(k[:], d.h.Sum(nil))
	return k
}

package mask

import (
	"errors"
	"testing"
)

// TestDerivePseudonymizer: a key derived beside the work gives the
// pseudonyms of the same key given at once, and its error reaches wait.
func TestDerivePseudonymizer(t *testing.T) {
	key := [32]byte{1, 2, 3}
	start := make(chan struct{})
	p, wait := DerivePseudonymizer(func() ([32]byte, error) {
		<-start
		return key, nil
	})
	got := make(chan string)
	go func() { got <- p.ID("ed1024a5fad64d71") }()
	close(start) // ID waited for the key
	if g, w := <-got, NewPseudonymizer(key).ID("ed1024a5fad64d71"); g != w || len(g) != 11 {
		t.Errorf("ID = %q, want %q", g, w)
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("read failed")
	_, wait = DerivePseudonymizer(func() ([32]byte, error) { return [32]byte{}, boom })
	if err := wait(); !errors.Is(err, boom) {
		t.Errorf("wait = %v, want %v", err, boom)
	}
}

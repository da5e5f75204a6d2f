package sso

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/rules"
)

// A signature that does not verify is said in French words of
// sdetcheck's own; the signature library's English message appears only
// as the marked technical detail (in English).
func TestSignatureFailureInFrench(t *testing.T) {
	// Signed by a key the metadata does not publish: said in full.
	fs := byRule(Check(env(full()), fixtures+"/sso/bad-cle-inconnue.har"))
	f := fs[rules.SSO001.ID][0]
	if !strings.Contains(f.Message, "dont les métadonnées ne publient pas la clé") ||
		strings.Contains(f.Message, "trusted certs") || strings.Contains(f.Message, "détail technique") {
		t.Errorf("unknown key: %q", f.Message)
	}
	if !strings.Contains(f.MessageEN, "whose key the metadata does not publish") {
		t.Errorf("unknown key (en): %q", f.MessageEN)
	}
	// Content changed after signing: said in French, the library's
	// message kept as the technical detail, marked as English.
	b64, err := os.ReadFile(fixtures + "/sso/good-eleve.b64")
	if err != nil {
		t.Fatal(err)
	}
	xml, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b64)))
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(string(xml), "ENTFICTIF1", "ENTFICTIF2", 1)
	if tampered == string(xml) {
		t.Fatal("nothing to tamper with")
	}
	p := filepath.Join(t.TempDir(), "modifiee.b64")
	os.WriteFile(p, []byte(base64.StdEncoding.EncodeToString([]byte(tampered))), 0o600)
	f = byRule(Check(env(full()), p))[rules.SSO001.ID][0]
	before, detail, ok := strings.Cut(f.Message, "(détail technique en anglais : ")
	if !ok || !strings.Contains(before, "la signature ne correspond pas au contenu signé") || detail == "" {
		t.Errorf("changed content: %q", f.Message)
	}
}

package main

import (
	"context"
	"fmt"
	"io"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/checks/sso"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/safeout"
)

// maxExtractInput bounds the capture sso-extract reads: a HAR file holds
// every page and image of the session (check sso allows as much).
const maxExtractInput = 200 << 20

// cmdSSOExtract runs `sdetcheck sso-extract CAPTURE --out FILE`: it writes
// the SAML responses of a capture and nothing else (checks/sso/extract.go),
// a file a vendor can commit and audit in CI with the same findings.
func cmdSSOExtract(ctx context.Context, pos []string, o opts, stdout, stderr io.Writer) error {
	if len(pos) != 1 || o.out == "" {
		return usagef("usage: sdetcheck sso-extract CAPTURE --out FILE", "usage : sdetcheck sso-extract CAPTURE --out FICHIER")
	}
	src := pos[0]
	if input.IsURL(src) {
		return usagef("sso-extract %q: a capture is a file, never a URL (it holds credentials)", "sso-extract %q : une capture est un fichier, jamais une adresse (elle contient des secrets)", src)
	}
	var in safeout.Inputs
	in.Add(src)
	if err := in.Check(o.out); err != nil {
		return err
	}
	ld := &input.Loader{MaxBytes: maxExtractInput}
	data, err := ld.Read(ctx, src, sso.CaptureKind)
	if err != nil {
		return err
	}
	out, n, err := sso.Extract(src, data, "sdetcheck "+audit.ToolVersion)
	if err != nil {
		return err
	}
	if err := safeout.Write(o.out, stdout, func(w io.Writer) error {
		_, err := w.Write(out)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, pick(o.lang,
		"sdetcheck: %s écrit : %s de %s, rien d'autre (ni cookie, ni en-tête, ni adresse, ni mot de passe, ni autre champ de formulaire) ; il peut être versionné à la place de la capture. Supprimez la capture et changez le mot de passe du compte de test.\n",
		"sdetcheck: %s written: %s of %s, nothing else (no cookie, header, URL, password or other form field); commit it instead of the capture. Delete the capture and change the test account's password.\n"),
		o.out, pick(o.lang, plural(n, "réponse SAML", "réponses SAML"), plural(n, "SAML response", "SAML responses")), src)
	return nil
}

// plural is n and the singular or plural noun.
func plural(n int, one, many string) string {
	if n > 1 {
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%d %s", n, one)
}

package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Problem is an error of sdetcheck's own, said in English (Error, for the
// command line and message_en) and in French (French, for the reports of
// the collectivités). Its Cause, when set, is the error it wraps: another
// Problem (its French text follows) or a third-party error (parser,
// validator, system), whose English text is kept verbatim and marked as
// the technical detail.
//
// Build one with Problemf, Wrap, or a sentinel's With; never translate a
// third-party message by matching its text.
type Problem struct {
	// EN and FR are the texts of the problem itself, without the cause.
	EN, FR string
	// Kind is the sentinel the problem is an instance of (errors.Is), nil
	// for none.
	Kind error
	// Cause is the wrapped error, nil for none.
	Cause error
}

// Problemf builds a Problem; en and fr are format strings that take the
// same arguments in the same order.
func Problemf(en, fr string, args ...any) *Problem {
	return &Problem{EN: sprintf(en, args), FR: sprintf(fr, args)}
}

// Wrap builds a Problem caused by cause: "en: cause" in English, "fr :
// cause in French" (or "fr (détail technique : cause)") in French.
func Wrap(cause error, en, fr string, args ...any) *Problem {
	p := Problemf(en, fr, args...)
	p.Cause = cause
	return p
}

// With builds an instance of the sentinel p (errors.Is(err, p) holds)
// with more detail: "p.EN: en" and "p.FR : fr".
func (p *Problem) With(en, fr string, args ...any) *Problem {
	return &Problem{EN: p.EN + ": " + sprintf(en, args), FR: p.FR + " : " + sprintf(fr, args), Kind: p}
}

func sprintf(format string, args []any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

func (p *Problem) Error() string {
	if p.Cause == nil {
		return p.EN
	}
	return p.EN + ": " + p.Cause.Error()
}

// French is the problem in French.
func (p *Problem) French() string {
	if p.Cause == nil {
		return p.FR
	}
	if fr, ok := french(p.Cause); ok {
		return p.FR + " : " + fr
	}
	if gloss := glossOf(p.Cause); gloss != "" {
		return p.FR + " : " + gloss + " (" + technical(p.Cause) + ")"
	}
	return p.FR + " (" + technical(p.Cause) + ")"
}

// Unwrap returns the kind and the cause, for errors.Is and errors.As.
func (p *Problem) Unwrap() []error {
	var out []error
	if p.Kind != nil {
		out = append(out, p.Kind)
	}
	if p.Cause != nil {
		out = append(out, p.Cause)
	}
	return out
}

// French says err in French for a report: a location (file, line,
// column) and a problem of sdetcheck's own are translated; the text of a
// third-party error is kept, marked as the technical detail, after a
// French gloss of its kind when the standard library gives one (file not
// found, permission denied, time-out…).
func French(err error) string {
	if err == nil {
		return ""
	}
	if fr, ok := french(err); ok {
		return fr
	}
	if gloss := glossOf(err); gloss != "" {
		return gloss + " (" + technical(err) + ")"
	}
	return "erreur (" + technical(err) + ")"
}

// french returns the French text of err when err is one of sdetcheck's
// own (an *Error or a *Problem, possibly under a foreign wrapper).
func french(err error) (string, bool) {
	switch e := err.(type) {
	case *Error:
		return e.French(), true
	case interface{ French() string }:
		return e.French(), true
	}
	return "", false
}

func technical(err error) string {
	return "détail technique : " + err.Error()
}

// glosses are French names for the standard library's error kinds, most
// specific first. They are matched with errors.Is, never by text.
var glosses = []struct {
	kind error
	fr   string
}{
	{fs.ErrNotExist, "introuvable"},
	{fs.ErrPermission, "accès refusé"},
	{context.DeadlineExceeded, "délai dépassé"},
	{os.ErrDeadlineExceeded, "délai dépassé"},
	{context.Canceled, "interrompu"},
	{io.ErrUnexpectedEOF, "fin de données inattendue (fichier tronqué ?)"},
	{io.EOF, "fin de données inattendue (fichier vide ou tronqué ?)"},
	{syscall.ENOTDIR, "ce n'est pas un répertoire"},
	{syscall.EISDIR, "c'est un répertoire"},
	{syscall.ENOSPC, "plus de place sur le disque"},
	{syscall.EROFS, "système de fichiers en lecture seule"},
}

func glossOf(err error) string {
	for _, g := range glosses {
		if errors.Is(err, g.kind) {
			return g.fr
		}
	}
	return ""
}

// French says the error in French: "source, ligne L, colonne C : problème".
func (e *Error) French() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("ligne " + strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(", colonne " + strconv.Itoa(e.Column))
		}
	}
	if b.Len() > 0 {
		b.WriteString(" : ")
	}
	b.WriteString(French(e.Err))
	return b.String()
}

// HTTPStatus is the problem of a URL that answered with a status other
// than 200.
func HTTPStatus(code int) *Problem {
	fr := "le serveur a répondu avec le code HTTP %d"
	switch {
	case code == 401:
		fr += " (authentification demandée)"
	case code == 403:
		fr += " (accès interdit)"
	case code == 404 || code == 410:
		fr += " (page introuvable)"
	case code >= 500:
		fr += " (erreur du serveur)"
	}
	return Problemf("http status %d", fr, code)
}

// Bytes is a size in a Problem's arguments: %d prints the number of bytes
// (the English texts keep their exact figures), %s a French size for
// people ("20 Mio", "1,5 Gio", "512 octets").
type Bytes int64

// Format implements fmt.Formatter.
func (b Bytes) Format(f fmt.State, verb rune) {
	if verb != 's' {
		fmt.Fprint(f, int64(b))
		return
	}
	f.Write([]byte(b.french()))
}

func (b Bytes) french() string {
	n := float64(b)
	units := []string{"octets", "Kio", "Mio", "Gio", "Tio"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	if i == 0 {
		return strconv.FormatInt(int64(b), 10) + " octets"
	}
	s := strconv.FormatFloat(n, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " " + units[i]
}

package mask

import (
	"errors"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// ParseError rewords an error met while reading a document that holds
// personal data (an AAF export, a GAR feed file) so that it quotes nothing
// of the document: a parser's message quotes the offending token
// ("invalid character entity &Dupont;"), which may be a piece of a
// person's name. The file, line and column are kept, and so are
// sdetcheck's own problems that quote nothing of the document (a DTD
// refused, a size limit). nil stays nil.
func ParseError(err error) error {
	if err == nil || errors.Is(err, xmlsafe.ErrDTD) || errors.Is(err, input.ErrTooLarge) {
		return err
	}
	var p *input.Problem
	if errors.Is(err, xmlsafe.ErrMalformed) {
		p = xmlsafe.Malformed("the parser's message is not repeated: it may quote a person's data", "le message de l'analyseur n'est pas repris : il peut citer les données d'une personne")
	} else {
		p = input.Problemf("unreadable XML (the parser's message is not repeated: it may quote a person's data)", "XML illisible (le message de l'analyseur n'est pas repris : il peut citer les données d'une personne)")
	}
	if e, ok := input.AsError(err); ok {
		return &input.Error{Source: e.Source, Line: e.Line, Column: e.Column, Err: p}
	}
	return p
}

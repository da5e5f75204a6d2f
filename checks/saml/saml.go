// Package saml holds the checks of the saml area: one SAML 2.0 IdP
// metadata document, the ENT's identity provider toward the GAR.
//
// The document is read and parsed once per run (internal/samlmeta, which
// the sso area shares) into a *metadata; each rule is then a small
// function over it.
package saml

import (
	"errors"
	"strings"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Namespaces and identifiers (OASIS SAML 2.0, W3C XML Signature).
const (
	nsMD        = samlmeta.NSMetadata
	nsSAML      = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsDS        = samlmeta.NSDSig
	protocolV2  = samlmeta.ProtocolSAML2
	bindingRedi = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	bindingPOST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	nameIDTrans = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	attrBasic   = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
)

// Check audits one SAML IdP metadata document (file or https URL).
func Check(env *checks.Env, src string) []result.Finding {
	l := load(env, src)
	if err := l.readErr; err != nil {
		if errors.Is(err, input.ErrTooLarge) {
			return refused(err)
		}
		return checks.Unreadable(rules.AreaSAML, err)
	}
	md, err := l.md, l.parseErr
	if err != nil {
		return refused(err)
	}
	out := []result.Finding{checks.Pass(rules.SAML001,
		"Document XML bien formé, sans DTD ni entité, stable à l'aller-retour.",
		"Well-formed XML without DTD or entities; round-trips unchanged.",
		md.at(md.Root))}
	for _, rule := range ruleFuncs {
		out = append(out, rule(env, md)...)
	}
	return out
}

// metadata is the parsed document every rule looks at (read once per
// run by samlmeta, shared with the sso area).
type metadata struct {
	*samlmeta.Document
}

// loaded is a metadata document as read and parsed once per run.
type loaded struct {
	md                *metadata
	readErr, parseErr error
}

func load(env *checks.Env, src string) loaded {
	l := samlmeta.Load(env.Context(), env.Loader, env.Cache, src)
	out := loaded{readErr: l.ReadErr, parseErr: l.ParseErr}
	if l.Doc != nil {
		// Among several identity providers (a federation's
		// aggregate), the ENT's is the one on its domain (ent.url),
		// else the first; SAML-003 says which and why.
		out.md = &metadata{l.Doc.ForENT(env.Opts.ENTURL)}
	}
	return out
}

// parse checks and parses a document (samlmeta.Parse).
func parse(src string, data []byte) (*metadata, error) {
	d, err := samlmeta.Parse(src, data)
	if err != nil {
		return nil, err
	}
	return &metadata{d}, nil
}

// ruleFuncs are the rules that run over a parsed document, in ID order.
var ruleFuncs = []func(*checks.Env, *metadata) []result.Finding{
	checkSchema,
	checkEntity,
	checkSSO,
	checkCertificates,
	checkSignature,
	checkSigned,
	checkValidity,
	checkSLO,
	checkNameID,
	checkAttributes,
	checkMinimal,
	checkIDEnt,
}

// refused reports a document that was read but is unacceptable (too
// large, malformed, unsafe DTD, bad encoding): SAML-001 fails with
// file:line:problem and every other rule is not evaluated. A document that
// could not be read at all (missing file, network error, HTTP status)
// leaves every rule, SAML-001 included, not evaluated.
func refused(err error) []result.Finding {
	f := checks.Fail(rules.SAML001,
		"Document rejeté : "+input.French(err)+".",
		"Document refused: "+err.Error()+".")
	if e, ok := input.AsError(err); ok {
		f.Evidence = []result.Evidence{{Source: e.Source, Line: e.Line, Column: e.Column}}
	}
	return append([]result.Finding{f}, checks.Unreadable(rules.AreaSAML, err, rules.SAML001)...)
}

// at is the evidence pointing at an element.
func (md *metadata) at(e *etree.Element) result.Evidence {
	ev := result.Evidence{Source: md.Src}
	if e != nil {
		ev.Line = md.Lines[e]
	}
	return ev
}

// atExcerpt is the evidence pointing at an element, with an excerpt.
func (md *metadata) atExcerpt(e *etree.Element, excerpt string) result.Evidence {
	ev := md.at(e)
	ev.Excerpt = clip(excerpt, 160)
	return ev
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// etree helpers (samlmeta's).

// is reports whether e is the element {ns}tag.
func is(e *etree.Element, ns, tag string) bool { return samlmeta.Is(e, ns, tag) }

// child returns e's first child {ns}tag, or nil.
func child(e *etree.Element, ns, tag string) *etree.Element { return samlmeta.Child(e, ns, tag) }

// children returns e's children {ns}tag.
func children(e *etree.Element, ns, tag string) []*etree.Element {
	return samlmeta.Children(e, ns, tag)
}

// descendants returns every element {ns}tag below e, in document order.
func descendants(e *etree.Element, ns, tag string) []*etree.Element {
	return samlmeta.Descendants(e, ns, tag)
}

// attr returns the value of e's unqualified attribute name and whether it
// is present.
func attr(e *etree.Element, name string) (string, bool) { return samlmeta.Attr(e, name) }

// noIDP is the finding of a rule that needs the IDPSSODescriptor when the
// document has none (SAML-003 reports it).
func noIDP(rule *rules.Rule) []result.Finding {
	return []result.Finding{checks.Skip(rule,
		"Pas de IDPSSODescriptor à examiner (voir "+rules.SAML003.ID+").",
		"No IDPSSODescriptor to examine (see "+rules.SAML003.ID+").")}
}

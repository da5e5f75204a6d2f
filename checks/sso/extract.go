package sso

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/mask"
)

// An extract is what `sdetcheck sso-extract` writes: the SAML responses
// of a capture and nothing else, so that a vendor can commit it and audit
// it in CI. A capture holds credentials (session cookies, tokens, often
// the test account's password); the extract keeps of it only what the SSO
// rules read:
//
//   - each SAMLResponse, as posted (base64), at the position it had in
//     the capture (the other entries become empty placeholders), and
//     when it was posted (HAR startedDateTime);
//   - the kind of capture it came from, so that the findings name each
//     response as the capture's findings did ("entrée 2 du HAR");
//   - the pseudonym key of the capture (a SHA-256 of its first bytes,
//     which says nothing of them), so that the findings mask identifiers
//     with the same pseudonyms as the capture's.
//
// No header, cookie, URL, query string, other form field (login,
// password, RelayState, SAMLRequest) or response of the capture is kept.
// The extract is a minimal HAR 1.2 file (any HAR reader opens it; the
// "_sdetcheck" object is a custom field, as HAR allows); check sso and
// audit read it as they read the capture, with the same findings.

// FormatExtract is the format ReadCapture reports for an extract.
const FormatExtract Format = "sso-extract"

// ExtractKind is the kind under which an extract is recorded among the
// inputs of a result (a capture is CaptureKind): it holds no credentials.
const ExtractKind = "sso-extract"

// extractVersion is the version of the extract's layout.
const extractVersion = 1

// origin is the kind of capture a response was found in; it says where
// the response was found in the words of the findings.
type origin string

const (
	fromHAR    origin = "HAR"
	fromTracer origin = "SAML-tracer"
	bareXML    origin = "SAMLResponse-XML"
	bareForm   origin = "SAMLResponse-form"
	bareBase64 origin = "SAMLResponse-base64"
)

// posted is a Posted found at index i of a capture of kind o, saying
// where it was found.
func (o origin) posted(i int) Posted {
	p := Posted{from: o, index: i}
	switch o {
	case fromTracer:
		p.Where, p.WhereEN, p.Locator = fmt.Sprintf("requête %d de l'export SAML-tracer", i+1), fmt.Sprintf("SAML-tracer request %d", i+1), fmt.Sprintf("requests[%d]", i)
	case bareXML:
		p.Where, p.WhereEN = "réponse SAML (XML)", "SAML response (XML)"
	case bareForm:
		p.Where, p.WhereEN = "SAMLResponse", "SAMLResponse"
	case bareBase64:
		p.Where, p.WhereEN = "SAMLResponse (base64)", "SAMLResponse (base64)"
	default:
		p.Where, p.WhereEN, p.Locator = fmt.Sprintf("entrée %d du HAR", i+1), fmt.Sprintf("HAR entry %d", i+1), fmt.Sprintf("log.entries[%d]", i)
	}
	return p
}

// extractInfo is the "_sdetcheck" object of an extract.
type extractInfo struct {
	Version int    `json:"extract"`
	From    origin `json:"from"`
	// PseudonymKey is the hex pseudonym key of the capture.
	PseudonymKey string `json:"pseudonym_key,omitempty"`
}

// origin is the kind of capture the extract was made from (a HAR when
// it says nothing known).
func (x *extractInfo) origin() origin {
	switch x.From {
	case fromTracer, bareXML, bareForm, bareBase64:
		return x.From
	}
	return fromHAR
}

// key is the extract's pseudonym key, if it carries a well-formed one.
func (x *extractInfo) key() ([32]byte, bool) {
	var k [32]byte
	b, err := hex.DecodeString(x.PseudonymKey)
	if err != nil || len(b) != len(k) {
		return k, false
	}
	copy(k[:], b)
	return k, true
}

// pseudonymKey is the key of the pseudonyms of a capture's findings:
// derived from its bytes, or the key an extract carries (that of the
// capture it was made from).
func pseudonymKey(data []byte) [32]byte {
	if bytes.Contains(data, []byte(`"_sdetcheck"`)) {
		var h har
		if json.Unmarshal(data, &h) == nil && h.Log != nil && h.Log.Extract != nil {
			if k, ok := h.Log.Extract.key(); ok {
				return k
			}
		}
	}
	kd := mask.NewKeyDeriver()
	kd.Add(bytes.NewReader(data))
	return kd.Key()
}

// Extract reads the capture data (a HAR file, a SAML-tracer export, a bare
// SAMLResponse or an extract) and returns its extract and the number of
// responses it holds. tool names the program in the extract's creator
// ("sdetcheck 0.1.0"). A capture without any SAMLResponse is an error, as
// for check sso.
func Extract(source string, data []byte, tool string) ([]byte, int, error) {
	_, posted, err := ReadCapture(source, data)
	if err != nil {
		return nil, 0, err
	}
	key := pseudonymKey(data)
	x := extractFile{Log: extractLog{
		Version: "1.2",
		Creator: harCreator{Name: "sdetcheck sso-extract", Version: tool},
		Extract: extractInfo{Version: extractVersion, From: posted[0].from, PseudonymKey: hex.EncodeToString(key[:])},
		Pages:   []any{},
	}}
	x.Log.Comment = "Messages SAML (SAMLResponse) d'une capture " + string(x.Log.Extract.From) + ", extraits par sdetcheck sso-extract : aucun cookie, en-tête, adresse, mot de passe ni autre champ de formulaire ; check sso et audit le lisent comme la capture d'origine. / SAML responses of a " + string(x.Log.Extract.From) + " capture, extracted by sdetcheck sso-extract: no cookie, header, URL, password or other form field; check sso and audit read it as the original capture."
	for _, p := range posted {
		for len(x.Log.Entries) <= p.index {
			x.Log.Entries = append(x.Log.Entries, extractEntry{Comment: "retirée par sdetcheck sso-extract : pas de SAMLResponse / removed by sdetcheck sso-extract: no SAMLResponse"})
		}
		v := p.Encoded
		if v == "" {
			v = base64.StdEncoding.EncodeToString(p.XML)
		}
		e := extractEntry{Request: &extractRequest{Method: "POST", PostData: extractPostData{
			MimeType: "application/x-www-form-urlencoded",
			Params:   []harParam{{Name: "SAMLResponse", Value: v}},
		}}}
		if !p.At.IsZero() {
			e.StartedDateTime = p.At.UTC().Format(time.RFC3339Nano)
		}
		x.Log.Entries[p.index] = e
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return nil, 0, err
	}
	return b.Bytes(), len(posted), nil
}

// The layout of an extract, in the order it is written.
type (
	extractFile struct {
		Log extractLog `json:"log"`
	}
	extractLog struct {
		Version string         `json:"version"`
		Creator harCreator     `json:"creator"`
		Comment string         `json:"comment"`
		Extract extractInfo    `json:"_sdetcheck"`
		Pages   []any          `json:"pages"`
		Entries []extractEntry `json:"entries"`
	}
	harCreator struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	extractEntry struct {
		Comment         string          `json:"comment,omitempty"`
		StartedDateTime string          `json:"startedDateTime,omitempty"`
		Request         *extractRequest `json:"request,omitempty"`
	}
	extractRequest struct {
		Method   string          `json:"method"`
		PostData extractPostData `json:"postData"`
	}
	extractPostData struct {
		MimeType string     `json:"mimeType"`
		Params   []harParam `json:"params"`
	}
	harParam struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
)

package sso

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// Posted is one SAMLResponse found in a capture, as posted (base64) or
// already decoded (XML). Nothing else of the capture is kept: no header,
// cookie, other form field or URL.
type Posted struct {
	// Where says where the response was found, in French and English
	// ("entrée 7 du HAR"), without any URL or value.
	Where, WhereEN string
	// Locator points at the response in the capture in the capture's own
	// terms, in no language ("log.entries[6]", "requests[0]"): the
	// findings' evidence excerpt.
	Locator string
	// Encoded is the base64 as posted ("" when the capture holds the
	// decoded XML only).
	Encoded string
	// XML is the decoded message when the capture gives it decoded.
	XML []byte
	// At is when the browser posted it (HAR startedDateTime, SAML-tracer
	// timestamp), zero when
	// the capture does not say.
	At time.Time

	// from and index say where the response was (extract.go): the kind
	// of capture and the position in it.
	from  origin
	index int
}

// Format names the kinds of capture ReadCapture understands.
type Format string

const (
	FormatHAR    Format = "HAR"
	FormatTracer Format = "SAML-tracer"
	FormatBare   Format = "SAMLResponse"
)

// ErrNoResponse is the error of a capture without any SAMLResponse.
var ErrNoResponse = &input.Problem{
	EN: "no SAML response (SAMLResponse) in the capture: record the login to a GAR resource (see docs/sso.md)",
	FR: "aucune réponse SAML (SAMLResponse) dans la capture : enregistrer la connexion à une ressource du GAR (voir docs/sso.md)",
}

// har is the part of a HAR file (W3C draft "HTTP Archive 1.2") that is
// read: the request's form parameters only.
type har struct {
	Log *struct {
		// Extract is set in an extract written by sso-extract.
		Extract *extractInfo `json:"_sdetcheck"`
		Entries []struct {
			StartedDateTime string `json:"startedDateTime"`
			Request         struct {
				Method string `json:"method"`
				// QueryString carries a message of the HTTP-Redirect
				// binding; nothing else of it is kept.
				QueryString []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"queryString"`
				PostData *struct {
					MimeType string `json:"mimeType"`
					Params   []struct {
						Name  string `json:"name"`
						Value string `json:"value"`
					} `json:"params"`
					Text string `json:"text"`
				} `json:"postData"`
			} `json:"request"`
		} `json:"entries"`
	} `json:"log"`
}

// tracer is the part of a SAML-tracer export that is read.
type tracer struct {
	Requests []struct {
		Method string          `json:"method"`
		Post   [][]string      `json:"post"`
		SAML   string          `json:"saml"`
		Time   json.RawMessage `json:"timestamp"`
	} `json:"requests"`
}

// ReadCapture finds every SAMLResponse of a capture: a HAR file, a
// SAML-tracer export, or a bare SAMLResponse (base64 as posted, a
// "SAMLResponse=…" form body, or the decoded XML). source names the file
// in errors.
func ReadCapture(source string, data []byte) (Format, []Posted, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return "", nil, &input.Error{Source: source, Err: input.Problemf("empty capture", "capture vide")}
	}
	switch trimmed[0] {
	case '{', '[':
		return readJSON(source, data)
	case '<':
		p := bareXML.posted(0)
		p.XML = trimmed
		return FormatBare, []Posted{p}, nil
	}
	s := string(trimmed)
	if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		// An address of the HTTP-Redirect binding, as ruby-saml logs
		// it: only its SAML message is kept, never the address.
		s = u.RawQuery
		if s == "" {
			s = "-"
		}
	}
	if v, ok := formMessage(s); ok {
		if v == "" {
			return "", nil, &input.Error{Source: source, Err: input.Problemf("form body without a readable SAMLResponse", "corps de formulaire sans SAMLResponse lisible")}
		}
		p := bareForm.posted(0)
		p.Encoded = v
		return FormatBare, []Posted{p}, nil
	}
	if strings.Contains(s, "%") {
		// URL-encoded base64 (%2B, %2F, %3D), as copied from an
		// address or a log; PathUnescape keeps '+'.
		if u, err := url.PathUnescape(s); err == nil && looksBase64(u) {
			s = u
		}
	}
	if !looksBase64(s) {
		return "", nil, &input.Error{Source: source, Err: input.Problemf(
			"not a capture: neither JSON (HAR file, SAML-tracer export), XML nor a base64 SAMLResponse",
			"ce n'est pas une capture : ni JSON (fichier HAR, export SAML-tracer), ni XML, ni SAMLResponse en base64")}
	}
	p := bareBase64.posted(0)
	p.Encoded = s
	return FormatBare, []Posted{p}, nil
}

func readJSON(source string, data []byte) (Format, []Posted, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return "", nil, jsonError(source, data, err)
	}
	switch {
	case probe["log"] != nil:
		var h har
		if err := json.Unmarshal(data, &h); err != nil {
			return "", nil, jsonError(source, data, err)
		}
		if h.Log == nil {
			return "", nil, &input.Error{Source: source, Err: input.Problemf("HAR file whose log is not an object", "fichier HAR dont log n'est pas un objet")}
		}
		format, from := FormatHAR, fromHAR
		if x := h.Log.Extract; x != nil {
			// An extract (sso-extract) names its entries as the capture
			// it was made from did.
			format, from = FormatExtract, x.origin()
		}
		var out []Posted
		for i, e := range h.Log.Entries {
			var v string
			if pd := e.Request.PostData; pd != nil {
				for _, p := range pd.Params {
					if p.Name == "SAMLResponse" {
						v = p.Value
						break
					}
				}
				if v == "" && pd.Text != "" && strings.Contains(pd.Text, "SAMLResponse=") {
					if q, err := url.ParseQuery(strings.TrimSpace(pd.Text)); err == nil {
						v = q.Get("SAMLResponse")
					}
				}
			}
			if v == "" {
				// HTTP-Redirect binding: the message is in the query
				// string, deflated (Decode inflates it).
				for _, p := range e.Request.QueryString {
					if p.Name == "SAMLResponse" {
						v = p.Value
						break
					}
				}
			}
			if v == "" {
				continue
			}
			if strings.Contains(v, "%") {
				if u, err := url.QueryUnescape(v); err == nil {
					v = u
				}
			}
			p := from.posted(i)
			p.Locator = fmt.Sprintf("log.entries[%d]", i)
			p.Encoded = v
			if t, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err == nil {
				p.At = t.UTC()
			}
			out = append(out, p)
		}
		if len(out) == 0 {
			return format, nil, &input.Error{Source: source, Err: ErrNoResponse}
		}
		return format, out, nil
	case probe["requests"] != nil:
		var tr tracer
		if err := json.Unmarshal(data, &tr); err != nil {
			return "", nil, jsonError(source, data, err)
		}
		var out []Posted
		for i, r := range tr.Requests {
			p := fromTracer.posted(i)
			for _, kv := range r.Post {
				if len(kv) == 2 && kv[0] == "SAMLResponse" {
					p.Encoded = kv[1]
				}
			}
			// An export that hashed or obfuscated POST values leaves the
			// decoded message in "saml".
			if p.Encoded != "" && !looksBase64(p.Encoded) {
				p.Encoded = ""
			}
			if p.Encoded == "" {
				if !strings.Contains(r.SAML, "Response") || strings.Contains(r.SAML, "LogoutResponse") && !strings.Contains(r.SAML, ":Response") {
					continue
				}
				p.XML = []byte(strings.TrimSpace(r.SAML))
				if len(p.XML) == 0 {
					continue
				}
			}
			p.At = tracerTime(r.Time)
			out = append(out, p)
		}
		if len(out) == 0 {
			return FormatTracer, nil, &input.Error{Source: source, Err: ErrNoResponse}
		}
		return FormatTracer, out, nil
	}
	return "", nil, &input.Error{Source: source, Err: input.Problemf(
		"JSON that is neither a HAR file (log.entries) nor a SAML-tracer export (requests)",
		"JSON qui n'est ni un fichier HAR (log.entries) ni un export SAML-tracer (requests)")}
}

// formMessage reads a form body or query string holding SAMLResponse (or
// SAMLRequest: decoded, it is found not to be a response): its value, ""
// when the key is there without a readable value; ok is false when s is
// no such form.
func formMessage(s string) (v string, ok bool) {
	for _, key := range []string{"SAMLResponse", "SAMLRequest"} {
		if !strings.HasPrefix(s, key+"=") && !strings.Contains(s, "&"+key+"=") {
			continue
		}
		q, err := url.ParseQuery(s)
		if err != nil {
			return "", true
		}
		return q.Get(key), true
	}
	return "", false
}

// tracerTime reads a SAML-tracer request's timestamp: an RFC 3339 date,
// or milliseconds since 1970 (JavaScript's Date.now()); zero when absent
// or unreadable.
func tracerTime(raw json.RawMessage) time.Time {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC()
		}
		return time.Time{}
	}
	var ms float64
	if json.Unmarshal(raw, &ms) == nil && ms > 0 && ms < 1e14 {
		return time.UnixMilli(int64(ms)).UTC()
	}
	return time.Time{}
}

func looksBase64(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 16 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=', c == '\r', c == '\n', c == ' ':
		default:
			return false
		}
	}
	return true
}

// jsonError names the line of a JSON syntax error.
func jsonError(source string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset)
		if off > len(data) {
			off = len(data)
		}
		line := bytes.Count(data[:off], []byte("\n")) + 1
		if strings.Contains(se.Error(), "unexpected end of JSON input") {
			return &input.Error{Source: source, Line: line, Err: input.Wrap(err, "truncated JSON (a complete HAR file or SAML-tracer export is expected)", "JSON tronqué (un fichier HAR ou un export SAML-tracer complet est attendu)")}
		}
		return &input.Error{Source: source, Line: line, Err: input.Wrap(err, "not valid JSON (a HAR file or a SAML-tracer export is expected)", "JSON invalide (un fichier HAR ou un export SAML-tracer est attendu)")}
	}
	return &input.Error{Source: source, Err: input.Wrap(err, "unexpected JSON structure (a HAR file or a SAML-tracer export is expected)", "structure JSON inattendue (un fichier HAR ou un export SAML-tracer est attendu)")}
}

// Decode returns the XML of a posted response: the base64 is decoded
// strictly (a truncated value is an error, never half a message). A
// message of the HTTP-Redirect binding (saml-bindings-2.0-os §3.4.4.1:
// raw DEFLATE, RFC 1951, then base64), as ruby-saml logs and HAR files
// of redirects hold it, is inflated, to maxResponseBytes at most.
func (p Posted) Decode() ([]byte, error) {
	if p.Encoded == "" {
		return p.XML, nil
	}
	s := strings.Map(func(r rune) rune {
		switch r {
		case '\r', '\n', '\t':
			return -1
		case ' ': // a '+' turned into a space by a form decoder
			return '+'
		}
		return r
	}, strings.TrimSpace(p.Encoded))
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, input.Wrap(err, "SAMLResponse is not valid base64 (truncated copy?)", "SAMLResponse n'est pas du base64 valide (copie tronquée ?)")
	}
	return inflateIfDeflated(b)
}

// inflateIfDeflated returns b inflated when it is raw DEFLATE data (RFC
// 1951) holding XML, b itself when it is not: XML as posted, or something
// else the XML parser will refuse with its own words. The inflated size is
// bounded: past maxResponseBytes (a decompression bomb inflates a few
// kilobytes into gigabytes) it is an error, and no more is inflated.
func inflateIfDeflated(b []byte) ([]byte, error) {
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) == 0 || t[0] == '<' {
		return b, nil
	}
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	x, err := io.ReadAll(io.LimitReader(r, maxResponseBytes+1))
	if len(x) > maxResponseBytes {
		return nil, input.ErrTooLarge.With("SAML message inflated (raw DEFLATE, HTTP-Redirect binding) over 1 MiB: refused (decompression bomb?)", "message SAML décompressé (DEFLATE brut, liaison HTTP-Redirect) de plus de 1 Mio : refusé (bombe de décompression ?)")
	}
	if err != nil || !bytes.HasPrefix(bytes.TrimLeft(x, " \t\r\n\xef\xbb\xbf"), []byte("<")) {
		return b, nil // not deflated XML
	}
	return x, nil
}

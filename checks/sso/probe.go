package sso

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"math/big"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/samlsp"
	"github.com/crewjam/saml/xmlenc"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// Probe is a test SAML service provider, built on crewjam/saml's samlsp,
// for a live audit against a pre-production IdP: every response the IdP
// posts to it is audited with the SSO rules before samlsp completes the
// login. It keeps nothing: its key lives in memory for the run, findings
// go to OnAudit, no response is stored.
type Probe struct {
	mw      *samlsp.Middleware
	opts    checks.Options
	cache   *checks.Cache
	now     func() time.Time
	onAudit func(n int, fs []result.Finding)

	mu sync.Mutex
	n  int
}

// ProbeConfig configures a probe.
type ProbeConfig struct {
	// Root is the probe's base URL (http://127.0.0.1:PORT).
	Root url.URL
	// Metadata is the IdP metadata's source (a file), IDPMetadata its bytes.
	Metadata    string
	IDPMetadata []byte
	// IDEnt and GARDir, when set, are compared as in check sso.
	IDEnt, GARDir string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// NewProbe builds the probe; onAudit receives the findings of each
// response received (n counts from 1).
func NewProbe(c ProbeConfig, onAudit func(n int, fs []result.Finding)) (*Probe, error) {
	idp, err := samlsp.ParseMetadata(c.IDPMetadata)
	if err != nil {
		return nil, &input.Error{Source: c.Metadata, Err: input.Wrap(err, "IdP metadata unreadable by samlsp", "métadonnées de l'IdP illisibles par samlsp")}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	now := c.Now
	if now == nil {
		now = time.Now
	}
	t := now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(t.Unix()), Subject: pkix.Name{CommonName: "sdetcheck sso-probe"},
		NotBefore: t.Add(-time.Hour), NotAfter: t.Add(7 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	mw, err := samlsp.New(samlsp.Options{URL: c.Root, Key: key, Certificate: cert, IDPMetadata: idp})
	if err != nil {
		return nil, err
	}
	sp := mw.ServiceProvider
	p := &Probe{mw: mw, cache: checks.NewCache(), now: now, onAudit: onAudit}
	p.opts = checks.Options{
		SSOMetadata: c.Metadata, IDEnt: c.IDEnt, GARDir: c.GARDir,
		GARSPEntityID: sp.Metadata().EntityID, GARSPACS: sp.AcsURL.String(),
	}
	return p, nil
}

// decrypt opens an assertion encrypted for the probe (the IdP encrypts
// for the key the probe's metadata publishes).
func (p *Probe) decrypt(enc *etree.Element) (*etree.Element, error) {
	data := child(enc, "http://www.w3.org/2001/04/xmlenc#", "EncryptedData")
	if data == nil {
		return nil, errors.New("no EncryptedData")
	}
	plain, err := xmlenc.Decrypt(p.mw.ServiceProvider.Key, data)
	if err != nil {
		return nil, err
	}
	doc, _, err := xmlsafe.Parse("assertion déchiffrée", plain, responseLimits)
	if err != nil {
		return nil, err
	}
	if !is(doc.Root(), nsSAML, "Assertion") {
		return nil, errors.New("the decrypted element is not an assertion")
	}
	return doc.Root(), nil
}

// Close removes what the probe's cache opened (an extracted feed).
func (p *Probe) Close() { p.cache.Close() }

// Metadata is the probe's SP metadata, to load into the IdP.
func (p *Probe) Metadata() ([]byte, error) {
	return xml.MarshalIndent(p.mw.ServiceProvider.Metadata(), "", "  ")
}

// maxPost bounds a form posted to the probe.
const maxPost = 4 << 20

// Handler serves the probe: /saml/metadata, /saml/acs (audited), and a
// page that requires a login.
func (p *Probe) Handler() http.Handler {
	mux := http.NewServeMux()
	acs := p.mw.ServiceProvider.AcsURL.Path
	mux.Handle("/saml/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == acs && r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxPost)
			if err := r.ParseForm(); err != nil {
				http.Error(w, "formulaire illisible", http.StatusBadRequest)
				return
			}
			if v := r.PostForm.Get("SAMLResponse"); v != "" {
				p.audit(v)
			}
		}
		p.mw.ServeHTTP(w, r)
	}))
	mux.Handle("/", p.mw.RequireAccount(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><html lang=\"fr\"><meta charset=\"utf-8\"><title>sdetcheck sso-probe</title><p>%s</p></html>",
			html.EscapeString("Connexion réussie : la réponse SAML a été auditée, les constats sont affichés dans le terminal de sdetcheck."))
	})))
	return mux
}

func (p *Probe) audit(encoded string) {
	p.mu.Lock()
	p.n++
	n := p.n
	p.mu.Unlock()
	env := &checks.Env{Loader: &input.Loader{}, Now: p.now().UTC(), Opts: p.opts, Cache: p.cache}
	src := fmt.Sprintf("réponse reçue n°%d", n)
	fs := auditPostedWith(env, src, []byte(encoded), []Posted{{Where: "formulaire posté", WhereEN: "posted form", Encoded: encoded, At: p.now().UTC()}}, p.decrypt)
	if p.onAudit != nil {
		p.onAudit(n, fs)
	}
}

package security

// This file: the TLS versions a server offers (SEC-001) and its
// certificate chain (SEC-002).

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// probeTimeout bounds one handshake (connection included).
const probeTimeout = 10 * time.Second

// probedVersions are the versions tried, one handshake each.
var probedVersions = []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13}

// allSuites are every cipher suite Go knows: a version is offered when
// the server accepts a handshake at that version with any suite (an old
// server may know only suites Go leaves out by default).
var allSuites = func() []uint16 {
	var out []uint16
	for _, s := range tls.CipherSuites() {
		out = append(out, s.ID)
	}
	for _, s := range tls.InsecureCipherSuites() {
		out = append(out, s.ID)
	}
	return out
}()

// minRSABits is the shortest RSA key accepted (ANSSI: 2048 bits).
const minRSABits = 2048

// transportOf returns the transport the run's client connects with: the
// loader's own (its guard against private addresses, its trusted
// authorities from --ca-file), or the guarded default one. ok is false
// when the client has no *http.Transport (a test double, the service's
// refusal of the URLs an uploaded dossier names): nothing is then dialled
// outside the client.
func transportOf(env *checks.Env) (*http.Transport, bool) {
	c := env.Loader.Client
	if c == nil {
		return netguard.Policy{AllowPrivate: env.Loader.AllowPrivateNetwork}.Transport(), true
	}
	t, ok := c.Transport.(*http.Transport)
	return t, ok && t != nil
}

// dialerOf is how t connects (its guard), the guarded default when it
// sets none.
func dialerOf(env *checks.Env, t *http.Transport) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if t.DialContext != nil {
		return t.DialContext
	}
	return netguard.Policy{AllowPrivate: env.Loader.AllowPrivateNetwork}.Transport().DialContext
}

// rootsOf are the authorities t trusts (nil: the system's).
func rootsOf(t *http.Transport) *x509.CertPool {
	if t.TLSClientConfig != nil {
		return t.TLSClientConfig.RootCAs
	}
	return nil
}

// errDial marks a probe that could not connect (not a refused version).
type errDial struct{ error }

func (e errDial) Unwrap() error { return e.error }

// probe makes one handshake with server (host:port) at version v only,
// without verifying the certificate (SEC-002 verifies it apart): it says
// whether the server accepts v, and gives the connection's state.
func probe(ctx context.Context, dial func(ctx context.Context, network, addr string) (net.Conn, error), server string, v uint16) (tls.ConnectionState, error) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	conn, err := dial(ctx, "tcp", server)
	if err != nil {
		return tls.ConnectionState{}, errDial{err}
	}
	defer conn.Close()
	host, _, _ := net.SplitHostPort(server)
	cfg := &tls.Config{
		ServerName: host,
		MinVersion: v, MaxVersion: v,
		// The certificate is verified apart, on the chain received
		// (SEC-002): the probe only asks whether the version is
		// accepted.
		InsecureSkipVerify: true, //nolint:gosec // probe only, see above
		CipherSuites:       allSuites,
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return tls.ConnectionState{}, err
	}
	st := tc.ConnectionState()
	tc.Close()
	return st, nil
}

// hostFindings probes each server of a page: SEC-001 (versions offered)
// and SEC-002 (certificate), one finding each per server.
func hostFindings(env *checks.Env, t target, servers []string) []result.Finding {
	if len(servers) == 0 {
		return nil
	}
	tr, ok := transportOf(env)
	var out []result.Finding
	for _, s := range servers {
		if !ok {
			err := &input.Error{Source: t.src, Err: input.Wrap(errNoTransport, "TLS of %s not probed", "TLS de %s non essayé", s)}
			out = append(out, checks.Errorf(rules.SEC001, err), checks.Errorf(rules.SEC002, err))
			continue
		}
		dial := dialerOf(env, tr)
		var offered []uint16
		var best *tls.ConnectionState
		var dialErr error
		for _, v := range probedVersions {
			st, err := probe(env.Context(), dial, s, v)
			var de errDial
			if errors.As(err, &de) {
				dialErr = de.error
				break
			}
			if err == nil {
				offered = append(offered, v)
				st := st
				best = &st
			}
		}
		if dialErr != nil {
			err := &input.Error{Source: t.src, Err: input.Wrap(dialErr, "cannot connect to %s", "connexion à %s impossible", s)}
			out = append(out, checks.Errorf(rules.SEC001, err), checks.Errorf(rules.SEC002, err))
			continue
		}
		out = append(out, versionsFinding(t, s, offered), certFinding(env, tr, t, s, best))
	}
	return out
}

// versionNames names versions ("TLS 1.0, TLS 1.1").
func versionNames(vs []uint16) []string {
	var out []string
	for _, v := range vs {
		out = append(out, tls.VersionName(v))
	}
	return out
}

// versionsFinding implements SEC-001 for one server.
func versionsFinding(t target, server string, offered []uint16) result.Finding {
	id := rules.SEC001
	n := t.role.names()
	var old, modern []uint16
	for _, v := range offered {
		if v < tls.VersionTLS12 {
			old = append(old, v)
		} else {
			modern = append(modern, v)
		}
	}
	var marks []string
	for _, v := range probedVersions {
		mark := "-"
		for _, o := range offered {
			if o == v {
				mark = "+"
			}
		}
		marks = append(marks, mark+strings.ReplaceAll(tls.VersionName(v), " ", ""))
	}
	ev := result.Evidence{Source: t.src, Excerpt: server + " " + strings.Join(marks, " ")}
	switch {
	case len(offered) == 0:
		return checks.Fail(id,
			fmt.Sprintf("%s : le serveur %s n'accepte aucune négociation TLS de TLS 1.0 à TLS 1.3 : la page ne peut pas être servie de façon sûre.", n.fr, server),
			fmt.Sprintf("%s: server %s accepts no TLS handshake from TLS 1.0 to TLS 1.3: the page cannot be served securely.", n.en, server), ev)
	case len(modern) == 0:
		return checks.Fail(id,
			fmt.Sprintf("%s : le serveur %s ne propose que %s, ni TLS 1.2 ni TLS 1.3 : les navigateurs récents refusent la page, et la connexion serait exposée aux faiblesses de ces versions.", n.fr, server, frenchList(versionNames(old))),
			fmt.Sprintf("%s: server %s offers only %s, neither TLS 1.2 nor TLS 1.3: recent browsers refuse the page, and the connection would be exposed to those versions' weaknesses.", n.en, server, englishList(versionNames(old))), ev)
	case len(old) > 0:
		return checks.Fail(id,
			fmt.Sprintf("%s : le serveur %s propose encore %s (en plus de %s) : à désactiver.", n.fr, server, frenchList(versionNames(old)), frenchList(versionNames(modern))),
			fmt.Sprintf("%s: server %s still offers %s (besides %s): to be disabled.", n.en, server, englishList(versionNames(old)), englishList(versionNames(modern))), ev)
	}
	noteFR, noteEN := "", ""
	if modern[len(modern)-1] != tls.VersionTLS13 {
		noteFR, noteEN = " ; TLS 1.3, à privilégier, n'est pas proposé", "; TLS 1.3, to be preferred, is not offered"
	}
	return checks.Pass(id,
		fmt.Sprintf("%s : le serveur %s ne propose que %s (TLS 1.0 et TLS 1.1 refusés)%s.", n.fr, server, frenchList(versionNames(modern)), noteFR),
		fmt.Sprintf("%s: server %s offers only %s (TLS 1.0 and TLS 1.1 refused)%s.", n.en, server, englishList(versionNames(modern)), noteEN), ev)
}

// certName names a certificate: its common name, else its first DNS name,
// else its whole subject.
func certName(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return c.Subject.CommonName
	case len(c.DNSNames) > 0:
		return c.DNSNames[0]
	}
	return c.Subject.String()
}

// issuerName names a certificate's issuer.
func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

// certNames lists the names a certificate is valid for.
func certNames(c *x509.Certificate) string {
	var ns []string
	ns = append(ns, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		ns = append(ns, ip.String())
	}
	if len(ns) == 0 && c.Subject.CommonName != "" {
		ns = append(ns, c.Subject.CommonName+" (CN)")
	}
	if len(ns) > 6 {
		ns = append(ns[:6], "…")
	}
	return strings.Join(ns, ", ")
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// certFinding implements SEC-002 for one server: the chain it presented
// (st, from the probe at the highest version it accepts) is verified for
// its name, at the run's clock, with the trusted authorities of the run's
// client and the intermediates the server sent only.
func certFinding(env *checks.Env, tr *http.Transport, t target, server string, st *tls.ConnectionState) result.Finding {
	id := rules.SEC002
	n := t.role.names()
	if st == nil || len(st.PeerCertificates) == 0 {
		return checks.Fail(id,
			fmt.Sprintf("%s : le serveur %s n'a présenté aucun certificat (aucune négociation TLS aboutie).", n.fr, server),
			fmt.Sprintf("%s: server %s presented no certificate (no TLS handshake succeeded).", n.en, server),
			result.Evidence{Source: t.src, Excerpt: server})
	}
	chain := st.PeerCertificates
	leaf := chain[0]
	host, _, _ := net.SplitHostPort(server)
	ev := result.Evidence{Source: t.src, Excerpt: fmt.Sprintf("%s subject=%s; issuer=%s; %s → %s; %d cert.", server, certName(leaf), issuerName(leaf), day(leaf.NotBefore), day(leaf.NotAfter), len(chain))}
	var fr, en []string
	if env.Now.After(leaf.NotAfter) {
		fr = append(fr, fmt.Sprintf("il a expiré le %s (date de l'audit : %s)", day(leaf.NotAfter), day(env.Now)))
		en = append(en, fmt.Sprintf("it expired on %s (audit date: %s)", day(leaf.NotAfter), day(env.Now)))
	} else if env.Now.Before(leaf.NotBefore) {
		fr = append(fr, fmt.Sprintf("il n'est valide qu'à partir du %s (date de l'audit : %s)", day(leaf.NotBefore), day(env.Now)))
		en = append(en, fmt.Sprintf("it is only valid from %s (audit date: %s)", day(leaf.NotBefore), day(env.Now)))
	}
	if err := leaf.VerifyHostname(host); err != nil {
		fr = append(fr, fmt.Sprintf("il est émis pour %s, pas pour %s", certNames(leaf), host))
		en = append(en, fmt.Sprintf("it is issued for %s, not for %s", certNames(leaf), host))
	}
	if k, ok := leaf.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < minRSABits {
		fr = append(fr, fmt.Sprintf("sa clé RSA n'a que %d bits (2048 au moins)", k.N.BitLen()))
		en = append(en, fmt.Sprintf("its RSA key has only %d bits (2048 at least)", k.N.BitLen()))
	}
	// The chain, at a time the leaf is valid (its dates are said above).
	at := env.Now
	if at.After(leaf.NotAfter) || at.Before(leaf.NotBefore) {
		at = leaf.NotBefore.Add(time.Minute)
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: rootsOf(tr), Intermediates: inter, CurrentTime: at}); err != nil {
		cf, ce := chainProblem(chain, err)
		fr, en = append(fr, cf), append(en, ce)
	}
	if len(fr) > 0 {
		return checks.Fail(id,
			fmt.Sprintf("%s : le certificat du serveur %s (« %s », émis par « %s ») est refusé : %s.", n.fr, server, certName(leaf), issuerName(leaf), strings.Join(fr, " ; ")),
			fmt.Sprintf("%s: the certificate of server %s (%q, issued by %q) is rejected: %s.", n.en, server, certName(leaf), issuerName(leaf), strings.Join(en, "; ")), ev)
	}
	return checks.Pass(id,
		fmt.Sprintf("%s : le certificat du serveur %s (« %s », émis par « %s ») est valide pour %s jusqu'au %s ; chaîne complète vérifiée (%d certificat%s envoyé%s).", n.fr, server, certName(leaf), issuerName(leaf), host, day(leaf.NotAfter), len(chain), plural(len(chain)), plural(len(chain))),
		fmt.Sprintf("%s: the certificate of server %s (%q, issued by %q) is valid for %s until %s; complete chain verified (%d certificate%s sent).", n.en, server, certName(leaf), issuerName(leaf), host, day(leaf.NotAfter), len(chain), plural(len(chain))), ev)
}

// chainProblem says why the chain does not verify: an intermediate the
// server does not send, an authority nobody trusts, an expired link.
func chainProblem(chain []*x509.Certificate, err error) (string, string) {
	last := chain[len(chain)-1]
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		selfSigned := bytes.Equal(last.RawIssuer, last.RawSubject) && last.CheckSignature(last.SignatureAlgorithm, last.RawTBSCertificate, last.Signature) == nil
		switch {
		case selfSigned && len(chain) == 1:
			return "c'est un certificat auto-signé, d'aucune autorité reconnue",
				"it is self-signed, by no trusted authority"
		case selfSigned:
			return fmt.Sprintf("l'autorité racine « %s » qu'envoie le serveur n'est pas une autorité reconnue", certName(last)),
				fmt.Sprintf("the root authority %q the server sends is not a trusted authority", certName(last))
		}
		return fmt.Sprintf("chaîne incomplète : le serveur n'envoie pas le certificat de « %s », émetteur de « %s », qui n'est pas non plus une autorité reconnue (un navigateur qui ne va pas le chercher refuse la page)", issuerName(last), certName(last)),
			fmt.Sprintf("incomplete chain: the server does not send the certificate of %q, issuer of %q, which is not a trusted authority either (a browser that does not fetch it refuses the page)", issuerName(last), certName(last))
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return fmt.Sprintf("un certificat de la chaîne (« %s ») est hors de sa période de validité", certName(ci.Cert)),
			fmt.Sprintf("a certificate of the chain (%q) is outside its validity period", certName(ci.Cert))
	}
	return "chaîne non vérifiée (" + err.Error() + ")", "chain not verified (" + err.Error() + ")"
}

// tlsRefusal tells a fetch refused for the certificate or the TLS
// version, with what the page's findings then say.
func tlsRefusal(err error) (names, bool) {
	var ve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ve) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci):
		return names{"lue sans vérifier le certificat refusé", "read without verifying the rejected certificate"}, true
	case strings.Contains(err.Error(), "protocol version"):
		return names{"lue en TLS 1.0 ou 1.1, le serveur refusant TLS 1.2 et plus", "read over TLS 1.0 or 1.1, the server refusing TLS 1.2 and later"}, true
	}
	return names{}, false
}

// degradedLoader is a loader like the run's that reads a page whose
// certificate was rejected or whose server speaks only TLS 1.0 or 1.1,
// through the same guard: its headers say what a browser that went on
// would receive. Nothing is sent but the GET of the page.
func degradedLoader(env *checks.Env) (*input.Loader, bool) {
	tr, ok := transportOf(env)
	if !ok {
		return nil, false
	}
	d := tr.Clone()
	cfg := &tls.Config{}
	if tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	cfg.InsecureSkipVerify = true //nolint:gosec // reading the headers of a page SEC-001/SEC-002 already fail
	cfg.MinVersion = tls.VersionTLS10
	cfg.CipherSuites = allSuites
	d.TLSClientConfig = cfg
	c := input.NewClientPolicy(30*time.Second, netguard.Policy{AllowPrivate: env.Loader.AllowPrivateNetwork})
	if lc := env.Loader.Client; lc != nil {
		c.CheckRedirect, c.Timeout = lc.CheckRedirect, lc.Timeout
	}
	c.Transport = d
	return &input.Loader{MaxBytes: env.Loader.MaxBytes, AllowHTTP: env.Loader.AllowHTTP, AllowPrivateNetwork: env.Loader.AllowPrivateNetwork, Client: c}, true
}

// plainHTTP fails SEC-001 and SEC-002 for a page served over plain http
// (--allow-http).
func plainHTTP(p *page) []result.Finding {
	n := p.role.names()
	final := p.doc.FinalURL
	return []result.Finding{
		checks.Fail(rules.SEC001,
			fmt.Sprintf("%s : servie en http non chiffré (%s) : aucune version de TLS.", n.fr, final),
			fmt.Sprintf("%s: served over plain http (%s): no TLS version at all.", n.en, final), p.ev(final)),
		checks.Fail(rules.SEC002,
			fmt.Sprintf("%s : servie en http non chiffré (%s) : aucun certificat.", n.fr, final),
			fmt.Sprintf("%s: served over plain http (%s): no certificate.", n.en, final), p.ev(final)),
	}
}

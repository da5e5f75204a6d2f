package sso

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

type spOf struct{ p **Probe }

func (s spOf) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	md := (*s.p).mw.ServiceProvider.Metadata()
	if id != md.EntityID {
		return nil, os.ErrNotExist
	}
	return md, nil
}

// session logs a fictitious pupil of the sample feed in.
type session struct{}

func (session) GetSession(_ http.ResponseWriter, _ *http.Request, _ *saml.IdpAuthnRequest) *saml.Session {
	basic := "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
	return &saml.Session{ID: "s1", CreateTime: time.Now(), ExpireTime: time.Now().Add(time.Hour), Index: "_i1", NameID: "_9f86d081884c7d659a2feaa0c55ad015",
		CustomAttributes: []saml.Attribute{
			{Name: "idEnt", NameFormat: basic, Values: []saml.AttributeValue{{Type: "xs:string", Value: "ENTFICTIF1"}}},
			{Name: "GARPersonIdentifiant", NameFormat: basic, Values: []saml.AttributeValue{{Type: "xs:string", Value: "ed1024a5fad64d71"}}},
		}}
}

var (
	formAction = regexp.MustCompile(`<form[^>]*action="([^"]+)"`)
	formInput  = regexp.MustCompile(`<input[^>]*name="(SAMLResponse|RelayState)"[^>]*value="([^"]*)"`)
)

// A full login through the probe against crewjam/saml's IdP in the same
// process: the probe serves its metadata, starts the login, receives the
// response, audits it with every SSO rule and lets samlsp finish the login.
func TestProbeLogin(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)

	var probe *Probe
	idpSrv := httptest.NewUnstartedServer(nil)
	idpSrv.Start()
	defer idpSrv.Close()
	mdURL, _ := url.Parse(idpSrv.URL + "/metadata")
	ssoURL, _ := url.Parse(idpSrv.URL + "/sso")
	idp := &saml.IdentityProvider{Key: key, Certificate: cert, MetadataURL: *mdURL, SSOURL: *ssoURL,
		ServiceProviderProvider: spOf{&probe}, SessionProvider: session{}}
	idpSrv.Config.Handler = idp.Handler()
	md, err := xml.Marshal(idp.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	mdPath := filepath.Join(t.TempDir(), "idp.xml")
	os.WriteFile(mdPath, md, 0o600)

	probeSrv := httptest.NewUnstartedServer(nil)
	probeSrv.Start()
	defer probeSrv.Close()
	root, _ := url.Parse(probeSrv.URL)
	var mu sync.Mutex
	var got []result.Finding
	probe, err = NewProbe(ProbeConfig{Root: *root, Metadata: mdPath, IDPMetadata: md, IDEnt: "ENTFICTIF1", GARDir: fixtures + "/dossiers/conforme/gar"},
		func(_ int, fs []result.Finding) { mu.Lock(); got = append(got, fs...); mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	probeSrv.Config.Handler = probe.Handler()
	if spmd, err := probe.Metadata(); err != nil || !strings.Contains(string(spmd), "AssertionConsumerService") {
		t.Fatalf("SP metadata: %v\n%s", err, spmd)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.Get(probeSrv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action := formAction.FindStringSubmatch(string(body))
	if action == nil {
		t.Fatalf("the IdP did not answer with a POST form: %s", body)
	}
	form := url.Values{}
	for _, m := range formInput.FindAllStringSubmatch(string(body), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	resp, err = client.PostForm(html.UnescapeString(action[1]), form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Connexion réussie") {
		t.Errorf("login not completed by samlsp: %d %s", resp.StatusCode, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if miss := checks.Missing(rules.AreaSSO, got); len(miss) > 0 {
		t.Fatalf("rules without finding: %v", miss)
	}
	for _, f := range got {
		if f.Status != result.Pass {
			t.Errorf("%s: %s %s", f.Rule, f.Status, f.Message)
		}
	}
}

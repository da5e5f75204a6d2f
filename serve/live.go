package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/internal/manifest"
)

// LiveCheck is a spot check of a live ENT (POST /api/v1/spotchecks, or
// the home page's second form): the https addresses of its pages, of its
// notice and of its IdP metadata, audited en ligne as `sdetcheck audit`
// audits a dossier whose pieces are URLs. What it does not name (the GAR
// feed, the mapping, the SSO captures) is not evaluated: the verdict of a
// spot check is "incomplet" unless a failure is found, and says so.
type LiveCheck struct {
	ENT             string `json:"ent"`
	Collectivite    string `json:"collectivite"`
	Degree          string `json:"degree"`
	SDET            string `json:"sdet,omitempty"`
	HomePage        string `json:"home_page,omitempty"`
	LoginPage       string `json:"login_page,omitempty"`
	Notice          string `json:"notice,omitempty"`
	NoticeReference string `json:"notice_reference,omitempty"`
	SAMLMetadata    string `json:"saml_metadata,omitempty"`
	// AccessibilityStatement: the ENT's accessibility statement (the
	// accessibility area; without it the statement is looked for from
	// the pages' footer link).
	AccessibilityStatement string `json:"accessibility_statement,omitempty"`
}

// urls names the URL fields of a LiveCheck as the API and the form
// name them.
func (c *LiveCheck) urls() []struct {
	name string
	val  *string
} {
	return []struct {
		name string
		val  *string
	}{
		{"home_page", &c.HomePage}, {"login_page", &c.LoginPage}, {"notice", &c.Notice},
		{"notice_reference", &c.NoticeReference}, {"saml_metadata", &c.SAMLMetadata},
		{"accessibility_statement", &c.AccessibilityStatement},
	}
}

// fieldError is a spot check refused, naming the field.
type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + " : " + e.msg }

// check trims the spot check and refuses what the audit could not take,
// naming the field (the API's contract checks the shape first; the web
// form only here). It returns the concrete type, nil when c is fine, so
// that callers read the field without a type assertion.
func (c *LiveCheck) check() *fieldError {
	c.ENT, c.Collectivite = strings.TrimSpace(c.ENT), strings.TrimSpace(c.Collectivite)
	c.Degree, c.SDET = strings.ToUpper(strings.TrimSpace(c.Degree)), strings.TrimSpace(c.SDET)
	if c.ENT == "" {
		return &fieldError{"ent", "le nom de l'ENT est attendu"}
	}
	if c.Collectivite == "" {
		return &fieldError{"collectivite", "le nom de la collectivité est attendu"}
	}
	if c.Degree != "1D" && c.Degree != "2D" {
		return &fieldError{"degree", "1D (écoles) ou 2D (collèges, lycées) est attendu"}
	}
	if c.SDET == "" {
		c.SDET = "7.0"
	}
	n := 0
	for _, f := range c.urls() {
		*f.val = strings.TrimSpace(*f.val)
		if *f.val == "" {
			continue
		}
		n++
		u, err := url.Parse(*f.val)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(*f.val) > 2048 {
			return &fieldError{f.name, "une adresse https:// complète est attendue"}
		}
	}
	if n == 0 {
		return &fieldError{"home_page", "au moins une adresse est attendue (page d'accueil, page de connexion, mentions ou métadonnées SAML)"}
	}
	return nil
}

// manifest is the ent.yaml of the spot check: its pieces are the URLs.
func (c *LiveCheck) manifest() ([]byte, error) {
	m := manifest.Manifest{
		ENT:          manifest.ENT{Name: c.ENT},
		Collectivite: manifest.Collectivite{Name: c.Collectivite},
		Degree:       c.Degree, SDET: c.SDET,
		Evidence: manifest.Evidence{
			HomePage: c.HomePage, LoginPage: c.LoginPage, Notice: c.Notice,
			NoticeReference: c.NoticeReference, SAMLMetadata: c.SAMLMetadata,
			AccessibilityStatement: c.AccessibilityStatement,
		},
	}
	var b bytes.Buffer
	b.WriteString("# Contrôle ponctuel en ligne déposé au service sdetcheck : les pièces sont des adresses.\n")
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// liveMagic starts the stored request of a spot check (its "upload"): an
// archive never starts so.
const liveMagic = "sdetcheck-spotcheck\n"

// submitLive queues the spot check c of p (its slot taken, given back on
// error; c checked by the caller, which refuses a bad one before taking a
// slot). The
// request is kept as the audit's upload, so that a restart requeues it
// like an archive; it holds addresses, no personal data.
func (s *Service) submitLive(ctx context.Context, p Principal, c LiveCheck) (Audit, error) {
	id, sum, err := s.writeLive(c)
	if err != nil {
		s.giveSlot(p.Name)
		return Audit{}, err
	}
	now := s.cfg.Now().UTC()
	a := Audit{ID: id, Owner: p.Name, Departement: p.Departement, Status: StatusQueued, Created: now, Updated: now, InputSHA256: sum,
		Collectivite: c.Collectivite, Kind: KindSpotCheck}
	if err := s.store.Create(ctx, a); err != nil {
		os.RemoveAll(s.workDir(id))
		s.giveSlot(p.Name)
		return Audit{}, err
	}
	s.enqueue(id, p.Name)
	s.log.Info("spot check queued", "audit", id, "owner", p.Name)
	return a, nil
}

// writeLive keeps the spot check c as the upload of a new audit, in its
// private directory of the work root: the audit's id and the SHA-256 of
// what is kept.
func (s *Service) writeLive(c LiveCheck) (id, sum string, err error) {
	body, err := json.Marshal(c)
	if err != nil {
		return "", "", err
	}
	data := append([]byte(liveMagic), body...)
	id = newID()
	dir := s.workDir(id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(dir, uploadName), data, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	h := sha256.Sum256(data)
	return id, hex.EncodeToString(h[:]), nil
}

// liveDossier writes the dossier of a stored spot check into dst and
// returns it; ok is false when upload is not a spot check.
func liveDossier(upload, dst string) (root string, ok bool, err error) {
	f, err := os.Open(upload)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	// an archive is never read whole here: its first bytes tell
	head := make([]byte, len(liveMagic))
	if n, _ := io.ReadFull(f, head); n < len(head) || string(head) != liveMagic {
		return "", false, nil
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSpotCheck))
	if err != nil {
		return "", true, err
	}
	data = append(head, data...)
	var c LiveCheck
	if err := json.Unmarshal(data[len(liveMagic):], &c); err != nil {
		return "", true, fmt.Errorf("spot check: %w", err)
	}
	if ferr := c.check(); ferr != nil {
		return "", true, ferr
	}
	y, err := c.manifest()
	if err != nil {
		return "", true, err
	}
	if err := os.WriteFile(filepath.Join(dst, manifest.FileName), y, 0o600); err != nil {
		return "", true, err
	}
	return dst, true, nil
}

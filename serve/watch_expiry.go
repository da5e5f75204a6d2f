package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/rules"
)

// expiry is a date after which an ENT stops working with the GAR: its IdP
// signing certificate's end of validity, its metadata's validUntil; or
// the end of its accessibility statement's three years.
type expiry struct {
	Kind string `json:"kind"` // certificate, metadata, statement
	// Subject names it in French; Key identifies it across runs (the
	// certificate's SHA-256, the validUntil value).
	Subject  string    `json:"subject"`
	Key      string    `json:"key"`
	NotAfter time.Time `json:"not_after"`
	// DaysLeft, in an alert: the days left when it was raised
	// (negative: expired).
	DaysLeft int `json:"days_left,omitempty"`
}

// metadataExpiries reads the expiries of the IdP metadata data (as the
// run read it from src): each signing certificate's end of validity and
// the validUntil of the document and of the ENT's entity. A document that
// does not parse has none (the run's SAML findings say why).
func metadataExpiries(src string, data []byte) []expiry {
	md, err := samlmeta.Parse(src, data)
	if err != nil {
		return nil
	}
	var out []expiry
	seen := map[string]bool{}
	_, keys := md.SigningKeys()
	for _, k := range keys {
		if k.Cert == nil {
			continue
		}
		sum := sha256.Sum256(k.Cert.Raw)
		key := hex.EncodeToString(sum[:])
		if seen[key] {
			continue
		}
		seen[key] = true
		subject := "le certificat de signature de l'IdP"
		if cn := k.Cert.Subject.CommonName; cn != "" {
			subject += " « " + cn + " »"
		}
		subject += " (SHA-256 " + key[:16] + "…)"
		out = append(out, expiry{Kind: AlertCertificate, Subject: subject, Key: key, NotAfter: k.Cert.NotAfter.UTC()})
	}
	for _, node := range []*etree.Element{md.Root, md.Entity} {
		if node == nil {
			continue
		}
		v, ok := samlmeta.Attr(node, "validUntil")
		if !ok || seen["validUntil "+v] {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			continue // SAML-008 says it
		}
		seen["validUntil "+v] = true
		out = append(out, expiry{Kind: AlertMetadata, Subject: "la validité des métadonnées SAML (validUntil " + v + ")", Key: "validUntil " + v, NotAfter: t.UTC()})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].NotAfter.Before(out[j].NotAfter) })
	return out
}

// statementExpiry is the end of the accessibility statement's validity
// as the run res judged it (ACC-004's valid_until): read is false when
// the run judged no dated statement. The key is the date: a statement
// updated is another expiry, and the alert of the old one resolves.
func statementExpiry(res *result.Result) (x expiry, read bool) {
	for _, f := range res.Results {
		if f.Rule != rules.ACC004.ID || f.ValidUntil == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", f.ValidUntil)
		if err != nil {
			continue
		}
		// valid through its last day
		return expiry{Kind: AlertStatement, Subject: "la déclaration d'accessibilité (valide trois ans)",
			Key: "statement " + f.ValidUntil, NotAfter: t.AddDate(0, 0, 1).UTC()}, true
	}
	return expiry{}, false
}

package serve

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

// Webhook posts each notification of an alert as JSON (alertMessage) to
// URL, signed with Secret: the header X-Sdetcheck-Signature is
// "sha256=" and the hex HMAC-SHA256, keyed by Secret, of the header
// X-Sdetcheck-Timestamp's value (Unix seconds), a dot, and the body.
type Webhook struct {
	URL    string
	Secret []byte
	// Client posts (nil: a client that waits 15 s at most and follows no
	// redirect).
	Client *http.Client
}

// Mail sends each notification of an alert by e-mail through the SMTP
// server at Addr (host:port), always over STARTTLS (a server that does
// not offer it is refused), authenticated (AUTH PLAIN) when User is set.
type Mail struct {
	Addr string
	From string
	// To receive every alert; an ENT's own addresses are added to them.
	To             []string
	User, Password string
	// rootCAs, in tests: the certificates the test server's is checked
	// against (nil: the system's, or SSL_CERT_FILE).
	rootCAs *x509.CertPool
}

// Webhook headers.
const (
	HeaderSignature = "X-Sdetcheck-Signature"
	HeaderTimestamp = "X-Sdetcheck-Timestamp"
	HeaderEvent     = "X-Sdetcheck-Event"
	HeaderDelivery  = "X-Sdetcheck-Delivery"
)

// Sign is the X-Sdetcheck-Signature of body sent at timestamp (Unix
// seconds) with secret.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// deliveryRetries are the delays between the attempts of a notification
// that fails; after the last, it is given up (and logged).
var deliveryRetries = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour}

// sendDue queues the reminders of the alerts still open, then sends the
// notifications due.
func (w *watcher) sendDue(ctx context.Context) {
	w.nmu.Lock()
	defer w.nmu.Unlock()
	now := w.s.cfg.Now().UTC()
	if w.cfg.Reminder > 0 {
		if n, err := w.st.Remind(ctx, now.Add(-w.cfg.Reminder), now, w.channels()); err != nil {
			w.s.log.Error("watch: reminders", "err", err.Error())
		} else if n > 0 {
			w.s.log.Info("watch: reminders queued", "alerts", n)
		}
	}
	ds, err := w.st.DueDeliveries(ctx, now, 100)
	if err != nil {
		w.s.log.Error("watch: deliveries", "err", err.Error())
		return
	}
	for _, d := range ds {
		select {
		case <-w.s.stop:
			return
		default:
		}
		err := w.deliver(ctx, d, now)
		if err == nil {
			if err := w.st.Delivered(ctx, d.ID, w.s.cfg.Now()); err != nil {
				w.s.log.Error("watch: delivered", "err", err.Error())
			}
			w.s.log.Info("alert sent", "alert", d.AlertID, "channel", d.Channel, "event", d.Event)
			continue
		}
		var next time.Time
		if d.Attempts < len(deliveryRetries) {
			next = now.Add(deliveryRetries[d.Attempts])
		}
		w.st.DeliveryFailed(ctx, d.ID, err.Error(), next)
		w.s.log.Warn("alert not sent", "alert", d.AlertID, "channel", d.Channel, "attempt", d.Attempts+1, "given_up", next.IsZero(), "err", err.Error())
	}
}

// deliver sends the notification d.
func (w *watcher) deliver(ctx context.Context, d Delivery, now time.Time) error {
	var m alertMessage
	if err := json.Unmarshal(d.Payload, &m); err != nil {
		return err
	}
	m.Event, m.Delivery = d.Event, d.ID
	if !d.Resolved.IsZero() {
		m.Alert.Resolved = d.Resolved.UTC().Format(time.RFC3339)
		m.Alert.ResolvedRun = w.link("/audits/" + d.ResolvedRun)
	}
	switch d.Channel {
	case "webhook":
		if w.cfg.Webhook == nil {
			return errors.New("no webhook configured")
		}
		return w.cfg.Webhook.post(ctx, m, now)
	case "mail":
		if w.cfg.Mail == nil {
			return errors.New("no SMTP server configured")
		}
		to := append([]string(nil), w.cfg.Mail.To...)
		if e, err := w.st.GetWatched(ctx, d.WatchedID); err == nil {
			for _, a := range e.Emails {
				if !containsFold(to, a) {
					to = append(to, a)
				}
			}
		}
		if len(to) == 0 {
			return errors.New("no recipient")
		}
		return w.cfg.Mail.send(ctx, to, mailMessage(w.cfg.Mail.From, to, m, now))
	}
	return fmt.Errorf("unknown channel %q", d.Channel)
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

var defaultWebhookClient = &http.Client{
	Timeout:       15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// post sends m, signed.
func (h *Webhook) post(ctx context.Context, m alertMessage, now time.Time) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sdetcheck-serve (alertes de veille)")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(h.Secret, ts, body))
	req.Header.Set(HeaderEvent, m.Event)
	req.Header.Set(HeaderDelivery, m.Delivery)
	c := h.Client
	if c == nil {
		c = defaultWebhookClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered HTTP %d", resp.StatusCode)
	}
	return nil
}

// send sends msg to the recipients through the SMTP server, over
// STARTTLS.
func (m *Mail) send(ctx context.Context, to []string, msg []byte) error {
	host, _, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return err
	}
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return errors.New("the SMTP server does not offer STARTTLS: refused (alerts are never sent in clear)")
	}
	if err := c.StartTLS(&tls.Config{ServerName: host, RootCAs: m.rootCAs, MinVersion: tls.VersionTLS12}); err != nil {
		return err
	}
	if m.User != "" {
		if err := c.Auth(smtp.PlainAuth("", m.User, m.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	wc, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := wc.Write(msg); err != nil {
		return err
	}
	if err := wc.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// mailSubject is the subject of m's e-mail.
func mailSubject(m alertMessage) string {
	var what string
	switch m.Alert.Kind {
	case AlertRegression:
		what = "Régression"
	case AlertCertificate:
		what = "Certificat de l'IdP bientôt expiré"
	case AlertMetadata:
		what = "Métadonnées SAML bientôt périmées"
	case AlertStatement:
		what = "Déclaration d'accessibilité bientôt périmée"
	}
	switch m.Event {
	case EventReminder:
		what = "Rappel : " + strings.ToLower(what[:1]) + what[1:]
	case EventResolved:
		what = "Résolu : " + strings.ToLower(what[:1]) + what[1:]
	}
	return "[sdetcheck] " + what + " — " + m.ENT.Name + " (" + m.ENT.Collectivite + ")"
}

// mailText is m said in words, in French.
func mailText(m alertMessage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Veille des ENT (sdetcheck) — %s, %s, département %s\n\n", m.ENT.Name, m.ENT.Collectivite, m.ENT.Departement)
	switch m.Event {
	case EventReminder:
		fmt.Fprintf(&b, "RAPPEL : cette alerte, ouverte le %s, n'est toujours pas résolue.\n\n", frDate(m.Alert.Opened))
	case EventResolved:
		fmt.Fprintf(&b, "RÉSOLU : le contrôle du %s ne constate plus ce qui suit.\n  %s\n\n", frDate(m.Alert.Resolved), m.Alert.ResolvedRun)
	}
	b.WriteString(m.Alert.Summary + "\n\n")
	fmt.Fprintf(&b, "Contrôle du %s : verdict %s", frDate(m.Run.Date), verdictWords(result.Verdict(m.Run.Verdict)))
	if m.Run.PreviousVerdict != "" {
		fmt.Fprintf(&b, " (contrôle précédent : %s)", verdictWords(result.Verdict(m.Run.PreviousVerdict)))
	}
	b.WriteString(".\n")
	if c := m.Changes; c != nil {
		for _, sec := range []struct {
			title string
			items []report.DiffItem
		}{{"Régressé", c.Regressed}, {"Nouveau", c.New}, {"Corrigé", c.Fixed}} {
			if len(sec.items) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n%s :\n", sec.title)
			for _, it := range sec.items {
				before := "—"
				if it.Old != "" || it.OldWaived {
					before = report.DiffState(it.Old, it.OldWaived, "fr")
				}
				fmt.Fprintf(&b, "  - %s : %s → %s : %s\n", it.Rule, before, report.DiffState(it.New, it.NewWaived, "fr"), it.Message)
			}
		}
	}
	if x := m.Expiry; x != nil {
		fmt.Fprintf(&b, "\nÉchéance : %s, le %s.\n", x.Subject, x.NotAfter.In(paris).Format("02/01/2006 à 15:04"))
	}
	fmt.Fprintf(&b, "\nLe contrôle : %s\nSon rapport (PDF) : %s\nL'ENT et son historique : %s\n", m.Run.URL, m.Run.ReportPDF, m.ENT.URL)
	b.WriteString("\n-- \nMessage automatique du service sdetcheck de l'académie : une alerte par changement, rappelée tant qu'elle n'est pas résolue.\n")
	return b.String()
}

func frDate(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	return t.In(paris).Format("02/01/2006 à 15:04")
}

// mailMessage is the e-mail of m (RFC 5322, UTF-8 text in base64).
func mailMessage(from string, to []string, m alertMessage, now time.Time) []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from)
	h("To", strings.Join(to, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", mailSubject(m)))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.Delivery+"@sdetcheck>")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "base64")
	h("Auto-Submitted", "auto-generated")
	h(HeaderDelivery, m.Delivery)
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(mailText(m)))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

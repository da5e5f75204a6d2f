package serve

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpMessage is what the test SMTP server received.
type smtpMessage struct {
	from string
	to   []string
	data string
	tls  bool // STARTTLS came before MAIL
	auth string
}

// smtpServer is a tiny SMTP server on loopback: EHLO, STARTTLS (its own
// certificate), AUTH PLAIN, MAIL, RCPT, DATA, QUIT; enough for net/smtp.
type smtpServer struct {
	ln       net.Listener
	tlsConf  *tls.Config
	pool     *x509.CertPool
	starttls bool
	mu       sync.Mutex
	msgs     []smtpMessage
}

func newSMTPServer(t *testing.T, starttls bool) *smtpServer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp.ac-fictive.example"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, pool: pool, starttls: starttls,
		tlsConf: &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 smtp.ac-fictive.example ESMTP test")
	var m smtpMessage
	secure := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO":
			say("250-smtp.ac-fictive.example")
			if s.starttls && !secure {
				say("250-STARTTLS")
			}
			if secure {
				say("250-AUTH PLAIN")
			}
			say("250 8BITMIME")
		case "STARTTLS":
			say("220 2.0.0 go ahead")
			tc := tls.Server(c, s.tlsConf)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, r, secure = tc, bufio.NewReader(tc), true
		case "AUTH":
			m.auth = strings.TrimPrefix(line, "AUTH PLAIN ")
			say("235 2.7.0 ok")
		case "MAIL":
			m = smtpMessage{from: line, tls: secure, auth: m.auth}
			say("250 ok")
		case "RCPT":
			m.to = append(m.to, strings.Trim(strings.TrimPrefix(line, "RCPT TO:"), "<>"))
			say("250 ok")
		case "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			m.data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpServer) received() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.msgs...)
}

func (s *smtpServer) config() *Mail {
	return &Mail{Addr: s.ln.Addr().String(), From: "sdetcheck@ac-fictive.example", To: []string{"dsden86-numerique@ac-fictive.example"},
		User: "sdetcheck", Password: "mot-de-passe-smtp", rootCAs: s.pool}
}

// The alerts by e-mail through the académie's SMTP server, over
// STARTTLS and authenticated: one e-mail for the regression, to the
// service's and the ENT's addresses, that says which ENT, what changed
// and links to the run; a webhook configured too gets its one alert.
func TestAlertMail(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	smtpd := newSMTPServer(t, true)
	hook := newWebhookReceiver(t)
	h := watchHarness(t, clock, ent, Config{Watch: WatchConfig{Mail: smtpd.config(), Webhook: hook.config(), PublicURL: "https://sdetcheck.ac-fictive.example"}})
	ctx := context.Background()
	r := h.do("POST", "/api/v1/watched", testTokens["dsden86"], strings.NewReader(ent.registration(`,"emails":["numerique@departement-fictif.example"]`)), "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	id := jsonField(r.body, "id")
	h.settled(id, 1)
	ent.degrade(t)
	clock.Advance(h.watched(id).NextRun.Sub(clock.Now()) + time.Minute)
	h.svc.watch.tick(ctx)
	run := h.settled(id, 2)[0]
	h.svc.watch.sendDue(ctx)
	h.svc.watch.sendDue(ctx)

	msgs := smtpd.received()
	if len(msgs) != 1 {
		t.Fatalf("%d e-mails, want 1", len(msgs))
	}
	m := msgs[0]
	if !m.tls {
		t.Error("e-mail sent before STARTTLS")
	}
	if auth, _ := base64.StdEncoding.DecodeString(m.auth); string(auth) != "\x00sdetcheck\x00mot-de-passe-smtp" {
		t.Errorf("AUTH PLAIN %q", auth)
	}
	if strings.Join(m.to, ",") != "dsden86-numerique@ac-fictive.example,numerique@departement-fictif.example" {
		t.Errorf("recipients %v", m.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "[sdetcheck] Régression — Néo Collège Fictif (Département Fictif de la Vienne-Haute)" {
		t.Errorf("subject %q", subject)
	}
	raw, _ := io.ReadAll(msg.Body)
	body, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Néo Collège Fictif", "PAGE-001", "PAGE-005", "Régressé", "verdict non conforme (contrôle précédent : incomplet)",
		"https://sdetcheck.ac-fictive.example/audits/" + run.AuditID, "https://sdetcheck.ac-fictive.example/veille/" + id} {
		if !strings.Contains(string(body), want) {
			t.Errorf("e-mail lacks %q:\n%s", want, body)
		}
	}
	t.Logf("%s\n%s", subject, body)
	if got := hook.received(); len(got) != 1 {
		t.Errorf("webhook: %d alerts, want 1", len(got))
	}
}

// An SMTP server that does not offer STARTTLS is refused (an alert is
// never sent in clear): the notification is kept and retried later.
func TestAlertMailNeedsSTARTTLS(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	smtpd := newSMTPServer(t, false)
	expires := watchEpoch.Add(10 * 24 * time.Hour)
	ent.set(func(e *testENT) { e.meta = metadataWith(t, selfSigned(t, "idp.ent.fictif.example", expires)) })
	logs := &syncBuffer{}
	h := watchHarness(t, clock, ent, Config{logTo: logs, Watch: WatchConfig{Mail: smtpd.config()}})
	ctx := context.Background()
	r := h.do("POST", "/api/v1/watched", testTokens["dsden86"], strings.NewReader(ent.registration("")), "application/json")
	h.settled(jsonField(r.body, "id"), 1)
	h.svc.watch.sendDue(ctx)
	if msgs := smtpd.received(); len(msgs) != 0 {
		t.Fatalf("e-mail sent without STARTTLS: %+v", msgs)
	}
	ds, err := h.svc.watch.st.DueDeliveries(ctx, clock.Now().Add(2*time.Minute), 10)
	if err != nil || len(ds) != 1 || ds[0].Attempts != 1 || ds[0].Channel != "mail" {
		t.Fatalf("delivery kept for a retry: %+v %v", ds, err)
	}
	if !strings.Contains(logs.String(), "STARTTLS") {
		t.Errorf("the log does not say why: %s", logs.String())
	}
}

package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks/contract"
	"github.com/sdetcheck/sdetcheck/serve"
)

const (
	serveSynopsisFR = "sdetcheck serve --data DIR --tokens FICHIER [options]"
	serveSynopsisEN = "sdetcheck serve --data DIR --tokens FILE [options]"
)

// serveHelp is `sdetcheck serve`'s help in lang.
func serveHelp(lang string) string {
	if lang == "en" {
		return "Usage: " + serveSynopsisEN + `

Serve the audit as a web service: API (OpenAPI contract on /openapi.json) and
a French web page. Everything kept lives under --data (an SQLite database);
uploaded dossiers are unpacked only for their audit, outside --data.

Options:
  --addr ADDRESS      listen address (default 127.0.0.1:8080)
  --data DIR          directory of what is kept (required)
  --tokens FILE       allowed tokens, by SHA-256 (required)
  --work DIR          temporary directory of uploaded dossiers (outside --data)
  --workers N         audits at once (default 2)
  --queue N           audits waiting beyond them (default 16; 429 past that)
  --max-upload SIZE   largest archive accepted (default 64M)
  --audit-timeout D   longest audit (default 5m)
  --retention D       how long results are kept (default 365d; 0: forever)
  --rate N            requests per second per token (default 20, burst 3×)
  --per-token N       audits one token may have queued, running or being
                      uploaded (default a quarter of workers + queue)
  --min-upload-rate SIZE
                      a request body arriving slower than SIZE per second
                      after 10 s is cut (408) (default 32K)
  --trust-proxy       behind a reverse proxy on this machine: a client's
                      address is the last of X-Forwarded-For, its scheme
                      X-Forwarded-Proto (the web page needs HTTPS)
  --shutdown-grace D  time left to running audits on stop (default 30s)
  --allow-private-network
                      let spot checks of a live ENT reach this machine or a
                      private network (pre-production site); refused by default
  --geoip FILE        offline IP-to-country database (MMDB) that locates the
                      ENT's servers in spot checks and runs of the watch
                      (docs/contract.md; without it, not evaluated)

Watch of registered ENTs (docs/serve.md):
  --watch-interval D  time between two runs of a registered ENT (default 24h,
                      at least 1h; an ENT may name its own)
  --alert-notice D    how long ahead an expiry is announced (default 60d)
  --alert-reminder D  an alert still open is sent again after D (default 7d;
                      0: never)
  --public-url URL    the service's address for the alerts' links
                      (https://sdetcheck.ac-example.fr)
  --webhook URL       post each alert as JSON to this https address, signed
                      (HMAC-SHA256, header X-Sdetcheck-Signature)
  --webhook-secret-file FILE
                      the webhook's shared secret (required with --webhook)
  --smtp HOST:PORT    send each alert by e-mail through this SMTP server
                      (STARTTLS required)
  --smtp-from ADDRESS sender of the alerts (required with --smtp)
  --smtp-to ADDRESSES recipients of every alert, comma-separated
  --smtp-user USER    SMTP login (AUTH PLAIN), with --smtp-password-file FILE

       sdetcheck serve token [--name NAME --role ROLE [--departement NN]]
                      print a new random token and its line for tokens.yaml
`
	}
	return "Usage : " + serveSynopsisFR + `

Sert l'audit en service web : API (contrat OpenAPI sur /openapi.json) et page
en français. Tout ce qui est conservé l'est sous --data (base SQLite) ; les
dossiers déposés ne sont décompressés que le temps de leur audit, hors de --data.

Options :
  --addr ADRESSE      adresse d'écoute (défaut 127.0.0.1:8080)
  --data DIR          répertoire des données conservées (obligatoire)
  --tokens FICHIER    jetons autorisés, par empreinte SHA-256 (obligatoire)
  --work DIR          répertoire temporaire des dossiers déposés (hors de --data)
  --workers N         audits simultanés (défaut 2)
  --queue N           audits en attente au-delà (défaut 16 ; 429 ensuite)
  --max-upload TAILLE taille maximale d'une archive déposée (défaut 64M)
  --audit-timeout D   durée maximale d'un audit (défaut 5m)
  --retention D       durée de conservation des résultats (défaut 365d ; 0 : sans fin)
  --rate N            requêtes par seconde par jeton (défaut 20, rafale 3×)
  --per-token N       audits qu'un jeton peut avoir en attente, en cours ou en
                      dépôt (défaut : le quart de workers + queue)
  --min-upload-rate TAILLE
                      un corps de requête reçu à moins de TAILLE par seconde
                      après 10 s est coupé (408) (défaut 32K)
  --trust-proxy       derrière un mandataire sur cette machine : l'adresse d'un
                      client est la dernière de X-Forwarded-For, son schéma
                      X-Forwarded-Proto (la page web demande HTTPS)
  --shutdown-grace D  délai laissé aux audits en cours à l'arrêt (défaut 30s)
  --allow-private-network
                      laisse les contrôles ponctuels d'un ENT en ligne mener à
                      cette machine ou à un réseau privé (site de pré-production) ;
                      refusé par défaut
  --geoip FICHIER     base de géolocalisation hors ligne (MMDB) qui situe les
                      serveurs de l'ENT des contrôles ponctuels et de la veille
                      (docs/contract.md ; sans elle, non évalué)

Veille des ENT enregistrés (docs/serve.md) :
  --watch-interval D  durée entre deux contrôles d'un ENT suivi (défaut 24h, au
                      moins 1h ; un ENT peut fixer la sienne)
  --alert-notice D    délai de préavis des échéances (défaut 60d)
  --alert-reminder D  une alerte toujours ouverte est renvoyée après D (défaut
                      7d ; 0 : jamais)
  --public-url URL    adresse du service pour les liens des alertes
                      (https://sdetcheck.ac-exemple.fr)
  --webhook URL       envoie chaque alerte en JSON à cette adresse https, signée
                      (HMAC-SHA256, en-tête X-Sdetcheck-Signature)
  --webhook-secret-file FICHIER
                      secret partagé du webhook (obligatoire avec --webhook)
  --smtp HÔTE:PORT    envoie chaque alerte par courriel par ce serveur SMTP
                      (STARTTLS obligatoire)
  --smtp-from ADRESSE expéditeur des alertes (obligatoire avec --smtp)
  --smtp-to ADRESSES  destinataires de toutes les alertes, séparés par des virgules
  --smtp-user UTILISATEUR
                      identifiant SMTP (AUTH PLAIN), avec --smtp-password-file FICHIER

        sdetcheck serve token [--name NOM --role RÔLE [--departement NN]]
                      affiche un nouveau jeton aléatoire et sa ligne pour tokens.yaml
`
}

// cmdServe runs `sdetcheck serve` until ctx ends (SIGINT, SIGTERM).
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "token" {
		return cmdServeToken(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	data := fs.String("data", "", "")
	tokens := fs.String("tokens", "", "")
	work := fs.String("work", "", "")
	workers := fs.Int("workers", 2, "")
	queue := fs.Int("queue", 16, "")
	maxUpload := fs.String("max-upload", "64M", "")
	timeout := fs.Duration("audit-timeout", 5*time.Minute, "")
	retention := fs.String("retention", "365d", "")
	rate := fs.Float64("rate", 20, "")
	perToken := fs.Int("per-token", 0, "")
	minRate := fs.String("min-upload-rate", "32K", "")
	trustProxy := fs.Bool("trust-proxy", false, "")
	grace := fs.Duration("shutdown-grace", 30*time.Second, "")
	private := fs.Bool("allow-private-network", false, "")
	geoip := fs.String("geoip", "", "")
	watchEvery := fs.Duration("watch-interval", 24*time.Hour, "")
	alertNotice := fs.String("alert-notice", "60d", "")
	reminder := fs.String("alert-reminder", "7d", "")
	publicURL := fs.String("public-url", "", "")
	webhook := fs.String("webhook", "", "")
	webhookSecret := fs.String("webhook-secret-file", "", "")
	smtpAddr := fs.String("smtp", "", "")
	smtpFrom := fs.String("smtp-from", "", "")
	smtpTo := fs.String("smtp-to", "", "")
	smtpUser := fs.String("smtp-user", "", "")
	smtpPassword := fs.String("smtp-password-file", "", "")
	lang := langOf(args)
	fs.String("lang", "fr", "")
	if code, done := parseServeFlags(fs, args, lang, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprint(stderr, serveHelp(lang))
		return fail(stderr, lang, usagef("serve takes no argument: %q", "serve ne prend pas d'argument : %q", fs.Arg(0)))
	}
	if *data == "" || *tokens == "" {
		fmt.Fprint(stderr, serveHelp(lang))
		return fail(stderr, lang, usagef("serve needs --data DIR and --tokens FILE", "serve demande --data DIR et --tokens FICHIER"))
	}
	up, err := parseSize(*maxUpload)
	if err != nil {
		return fail(stderr, lang, usagef("--max-upload %q: expected a size such as 64M", "--max-upload %q : une taille telle que 64M est attendue", *maxUpload))
	}
	ret, err := parseDays(*retention)
	if err != nil {
		return fail(stderr, lang, usagef("--retention %q: expected a duration such as 365d or 720h (0: kept)", "--retention %q : une durée telle que 365d ou 720h est attendue (0 : sans fin)", *retention))
	}
	rateBytes, err := parseSize(*minRate)
	if err != nil {
		return fail(stderr, lang, usagef("--min-upload-rate %q: expected a size per second such as 32K", "--min-upload-rate %q : une taille par seconde telle que 32K est attendue", *minRate))
	}
	if *perToken < 0 {
		return fail(stderr, lang, usagef("--per-token must be at least 1 (0: a quarter of --workers + --queue)", "--per-token vaut au moins 1 (0 : le quart de --workers + --queue)"))
	}
	if *workers < 1 || *queue < 0 || *rate <= 0 {
		return fail(stderr, lang, usagef("--workers must be at least 1, --queue at least 0, --rate positive", "--workers vaut au moins 1, --queue au moins 0, --rate est positif"))
	}
	watch, err := watchConfig(*watchEvery, *alertNotice, *reminder, *publicURL, *webhook, *webhookSecret, *smtpAddr, *smtpFrom, *smtpTo, *smtpUser, *smtpPassword)
	if err != nil {
		return fail(stderr, lang, err)
	}
	if *geoip != "" {
		if err := contract.CheckGeoDB(*geoip); err != nil {
			return fail(stderr, lang, err)
		}
	}
	toks, err := serve.LoadTokens(*tokens)
	if err != nil {
		return fail(stderr, lang, err)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	svc, err := serve.New(ctx, serve.Config{
		Data: *data, Work: *work, Tokens: toks, Workers: *workers, Queue: *queue,
		MaxUpload: up, AuditTimeout: *timeout, Retention: ret, Rate: *rate, Burst: int(*rate * 3), Log: log,
		AllowPrivateNetwork: *private, GeoIP: *geoip, PerToken: *perToken, MinUploadRate: float64(rateBytes), TrustProxy: *trustProxy,
		Watch: watch,
	})
	if err != nil {
		return fail(stderr, lang, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		svc.Shutdown(context.Background())
		return fail(stderr, lang, usagef("--addr %s: %v", "--addr %s : écoute impossible (%v)", *addr, err))
	}
	if plainHTTPExposed(ln.Addr(), *trustProxy) {
		log.Warn("plain HTTP on an address other machines reach, without --trust-proxy: browsers keep the web page's session cookie (Secure) over HTTPS only, so signing in fails there; put a TLS reverse proxy of this machine in front (listen on 127.0.0.1, --trust-proxy)",
			"addr", ln.Addr().String(),
			"message_fr", "HTTP en clair sur une adresse que d'autres machines atteignent, sans --trust-proxy : les navigateurs ne gardent le cookie de session de la page (Secure) qu'en HTTPS, la connexion y échoue ; placer devant un mandataire TLS de cette machine (écoute sur 127.0.0.1, --trust-proxy)")
	}
	srv := &http.Server{
		Handler:           svc.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// no ReadTimeout: a body is cut by --min-upload-rate instead, so
		// that a large upload on a slow but steady line arrives
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	// Said to a person on stdout; stderr carries the JSON logs.
	fmt.Fprintf(stdout, pick(lang,
		"sdetcheck: service prêt : ouvrir %s dans un navigateur (API : %sopenapi.json) ; Ctrl-C pour arrêter\n",
		"sdetcheck: service ready: open %s in a browser (API: %sopenapi.json); Ctrl-C to stop\n"), openURL(ln.Addr()), openURL(ln.Addr()))
	log.Info("serving", "addr", ln.Addr().String(), "workers", *workers, "queue", *queue)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		svc.Shutdown(context.Background())
		return fail(stderr, lang, internalError{err})
	case <-ctx.Done():
	}
	// Drain: /healthz and deposits answer 503 while the running audits
	// finish, for the grace period at most, and for drainNotice at least
	// (a load balancer polling /healthz sees the 503); then the listener
	// closes, and audits still running are cut and queued again.
	log.Info("stopping", "grace", grace.String())
	svc.Drain()
	gctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	notice := time.NewTimer(min(*grace, drainNotice))
	select {
	case <-notice.C:
	case <-gctx.Done():
	}
	svc.Idle(gctx)
	hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer hcancel()
	srv.Shutdown(hctx)
	if err := svc.Shutdown(gctx); err != nil {
		log.Error("store close", "err", err.Error())
	}
	log.Info("stopped")
	return 0
}

// watchConfig checks the watch's options and reads its secrets' files.
func watchConfig(every time.Duration, notice, reminder, publicURL, webhook, secretFile, smtpAddr, from, to, user, passwordFile string) (serve.WatchConfig, error) {
	var c serve.WatchConfig
	if every < serve.MinWatchInterval {
		return c, usagef("--watch-interval %s: at least 1h", "--watch-interval %s : au moins 1h", every)
	}
	c.Interval = every
	var err error
	if c.Notice, err = parseDays(notice); err != nil || c.Notice == 0 {
		return c, usagef("--alert-notice %q: expected a duration such as 60d", "--alert-notice %q : une durée telle que 60d est attendue", notice)
	}
	if c.Reminder, err = parseDays(reminder); err != nil {
		return c, usagef("--alert-reminder %q: expected a duration such as 7d (0: never)", "--alert-reminder %q : une durée telle que 7d est attendue (0 : jamais)", reminder)
	}
	if publicURL != "" {
		if u, err := url.Parse(publicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return c, usagef("--public-url %q: expected the service's address, such as https://sdetcheck.ac-example.fr", "--public-url %q : l'adresse du service est attendue, telle que https://sdetcheck.ac-exemple.fr", publicURL)
		}
		c.PublicURL = publicURL
	}
	readSecret := func(flag, path string) (string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", usagef("%s %s: unreadable (%v)", "%s %s : illisible (%v)", flag, path, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	switch {
	case webhook == "" && secretFile != "":
		return c, usagef("--webhook-secret-file needs --webhook", "--webhook-secret-file demande --webhook")
	case webhook != "":
		if u, err := url.Parse(webhook); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			return c, usagef("--webhook %q: an https:// address is expected", "--webhook %q : une adresse https:// est attendue", webhook)
		}
		if secretFile == "" {
			return c, usagef("--webhook needs --webhook-secret-file FILE (the shared secret that signs the alerts)", "--webhook demande --webhook-secret-file FICHIER (le secret partagé qui signe les alertes)")
		}
		secret, err := readSecret("--webhook-secret-file", secretFile)
		if err != nil {
			return c, err
		}
		if len(secret) < 32 {
			return c, usagef("--webhook-secret-file %s: the secret has fewer than 32 characters (sdetcheck serve token makes one)", "--webhook-secret-file %s : le secret compte moins de 32 caractères (sdetcheck serve token en fabrique un)", secretFile)
		}
		c.Webhook = &serve.Webhook{URL: webhook, Secret: []byte(secret)}
	}
	if smtpAddr == "" {
		if from != "" || to != "" || user != "" || passwordFile != "" {
			return c, usagef("--smtp-from, --smtp-to, --smtp-user and --smtp-password-file need --smtp HOST:PORT", "--smtp-from, --smtp-to, --smtp-user et --smtp-password-file demandent --smtp HÔTE:PORT")
		}
		return c, nil
	}
	if _, port, err := net.SplitHostPort(smtpAddr); err != nil || port == "" {
		return c, usagef("--smtp %q: expected HOST:PORT, such as smtp.ac-example.fr:587", "--smtp %q : HÔTE:PORT est attendu, tel que smtp.ac-exemple.fr:587", smtpAddr)
	}
	m := &serve.Mail{Addr: smtpAddr, User: user}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return c, usagef("--smtp-from %q: an e-mail address is expected", "--smtp-from %q : une adresse électronique est attendue", from)
	}
	m.From = a.Address
	for _, r := range strings.Split(to, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		a, err := mail.ParseAddress(r)
		if err != nil {
			return c, usagef("--smtp-to %q: an e-mail address is expected", "--smtp-to %q : une adresse électronique est attendue", r)
		}
		m.To = append(m.To, a.Address)
	}
	if (user == "") != (passwordFile == "") {
		return c, usagef("--smtp-user and --smtp-password-file go together", "--smtp-user et --smtp-password-file vont ensemble")
	}
	if passwordFile != "" {
		if m.Password, err = readSecret("--smtp-password-file", passwordFile); err != nil {
			return c, err
		}
	}
	c.Mail = m
	return c, nil
}

// plainHTTPExposed says whether serve, which speaks plain HTTP, listens
// on addr where browsers of other machines reach it without a TLS proxy
// of this machine in front (--trust-proxy): they keep no Secure cookie
// over plain http on a host name, and cannot sign in to the web page.
func plainHTTPExposed(addr net.Addr, trustProxy bool) bool {
	if trustProxy {
		return false
	}
	tcp, ok := addr.(*net.TCPAddr)
	return !ok || !tcp.IP.IsLoopback()
}

// drainNotice is the least time a stopping service answers 503 before
// its listener closes.
const drainNotice = 2 * time.Second

// parseServeFlags parses args into fs, a flag set of serve or serve
// token; done: the caller returns code (the help printed, or a bad
// option said).
func parseServeFlags(fs *flag.FlagSet, args []string, lang string, stdout, stderr io.Writer) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, serveHelp(lang))
		return 0, true
	}
	return fail(stderr, lang, optionError(err, "serve", args)), true
}

// cmdServeToken is `sdetcheck serve token`: a new random token on the
// first line of stdout, its line for tokens.yaml on the second (the
// whole entry when --name is given), what to do with them on stderr.
func cmdServeToken(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve token", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "")
	role := fs.String("role", "collectivite", "")
	dep := fs.String("departement", "", "")
	lang := langOf(args)
	fs.String("lang", "fr", "")
	if code, done := parseServeFlags(fs, args, lang, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return fail(stderr, lang, usagef("serve token takes no argument: %q", "serve token ne prend pas d'argument : %q", fs.Arg(0)))
	}
	tok, sum := serve.NewToken()
	entry := func(name string) string {
		e := "  - {name: " + strconv.Quote(name) + ", role: " + strconv.Quote(*role)
		if *dep != "" {
			e += ", departement: " + strconv.Quote(*dep)
		}
		return e + ", token_sha256: " + sum + "}"
	}
	line := "    token_sha256: " + sum
	if *name != "" {
		line = entry(*name)
	}
	// the entry is checked as the service will read it (with a stand-in
	// name when none is given: the role and département are)
	if *name != "" || *role != "collectivite" || *dep != "" {
		if _, err := serve.ParseTokens("tokens.yaml (entrée générée)", []byte("tokens:\n"+entry(cmp.Or(*name, "x"))+"\n")); err != nil {
			return fail(stderr, lang, err)
		}
	}
	fmt.Fprintln(stdout, tok)
	fmt.Fprintln(stdout, line)
	if lang == "en" {
		fmt.Fprintf(stderr, "Line 1: the token (%d characters), to hand to its holder only; it is written nowhere else.\nLine 2: its line for tokens.yaml (the file keeps only its SHA-256), under \"tokens:\".\n", len(tok))
	} else {
		fmt.Fprintf(stderr, "Ligne 1 : le jeton (%d caractères), à remettre à son seul titulaire ; il n'est écrit nulle part ailleurs.\nLigne 2 : sa ligne pour tokens.yaml (le fichier n'en garde que l'empreinte SHA-256), sous « tokens: ».\n", len(tok))
	}
	return 0
}

// parseSize reads 64M, 512K, 1G or a number of bytes.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("bad size")
	}
	return n * mult, nil
}

// parseDays reads 365d or a Go duration; 0 means no expiry.
func parseDays(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, errors.New("bad duration")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New("bad duration")
	}
	return d, nil
}

// openURL is the address to open in a browser for a service listening on
// addr: a wildcard address (0.0.0.0, ::) is reached on this machine as
// localhost.
func openURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

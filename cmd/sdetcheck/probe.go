package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/checks/sso"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

// cmdProbe runs `sdetcheck sso-probe`: a test service provider on the
// auditor's machine, until ctx is done (Ctrl-C).
func cmdProbe(ctx context.Context, pos []string, o opts, stdout, stderr io.Writer) error {
	if len(pos) != 0 || o.listen == "" || o.metadata == "" {
		return usagef("usage: sdetcheck sso-probe --listen 127.0.0.1:PORT --metadata IDP.xml [--id-ent X] [--gar FEED]",
			"usage : sdetcheck sso-probe --listen 127.0.0.1:PORT --metadata IDP.xml [--id-ent X] [--gar FLUX]")
	}
	host, _, err := net.SplitHostPort(o.listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return usagef("--listen %q: a loopback address is expected (127.0.0.1:PORT or [::1]:PORT): the probe receives identities",
			"--listen %q : une adresse locale est attendue (127.0.0.1:PORT ou [::1]:PORT) : la sonde reçoit des identités", o.listen)
	}
	formats, err := chooseFormats(opts{formats: o.formats}, true)
	if err != nil {
		return err
	}
	if len(formats) != 1 || (formats[0] != "text" && formats[0] != "json") {
		return usagef("sso-probe --format: text or json", "sso-probe --format : text ou json")
	}
	w, _ := report.New(formats[0])
	ld := &input.Loader{}
	md, err := ld.Read(ctx, o.metadata, "saml-metadata")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return input.Wrap(err, "listen on %s", "écoute sur %s impossible", o.listen)
	}
	root := url.URL{Scheme: "http", Host: ln.Addr().String(), Path: "/"}
	var mu sync.Mutex // one report at a time on stdout
	probe, err := sso.NewProbe(sso.ProbeConfig{Root: root, Metadata: o.metadata, IDPMetadata: md, IDEnt: o.idEnt, GARDir: o.gar},
		func(n int, fs []result.Finding) {
			res, err := audit.Findings("sso-probe", fs, time.Now())
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fmt.Fprintf(stderr, "sdetcheck: %s\n", say(o.lang, err))
				return
			}
			w.Write(stdout, res, report.Options{Lang: o.lang})
		})
	if err != nil {
		ln.Close()
		return err
	}
	defer probe.Close()
	spmd, err := probe.Metadata()
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(stderr, pick(o.lang,
		"sdetcheck: fournisseur de service de test sur %s ; chargez ses métadonnées (ci-dessous, aussi servies sur %ssaml/metadata) dans l'IdP de préproduction, puis ouvrez %s et connectez-vous avec un compte de test. Rien n'est conservé. Ctrl-C pour arrêter.\n",
		"sdetcheck: test service provider on %s; load its metadata (below, also served at %ssaml/metadata) into the pre-production IdP, then open %s and log in with a test account. Nothing is kept. Ctrl-C to stop.\n"),
		root.String(), root.String(), root.String())
	fmt.Fprintf(stdout, "%s\n", spmd)
	srv := &http.Server{Handler: probe.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-done
		return nil
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return input.Wrap(err, "serve", "service interrompu")
	}
}

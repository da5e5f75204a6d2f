package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
)

// maxCAFile bounds the --ca-file read (a few certificates).
const maxCAFile = 1 << 20

// caClient is the run's client with --ca-file: the guarded client of a
// run (netguard, https only through the loader, no cookies), trusting the
// system's authorities and those of file (PEM): a pre-production site
// with a private authority, the tests' local server.
func caClient(file string, allowPrivate bool) (*http.Client, error) {
	st, err := input.StatFile(file, false)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--ca-file %q: %v", file, err), fmt.Sprintf("--ca-file %q : %s", file, input.French(err))}
	}
	if st.Size() > maxCAFile {
		return nil, usagef("--ca-file %q: larger than 1 MiB, not a certificate file", "--ca-file %q : plus de 1 Mio, ce n'est pas un fichier de certificats", file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--ca-file %q: %v", file, osCause(err)), fmt.Sprintf("--ca-file %q : %s", file, input.French(osCause(err)))}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, usagef("--ca-file %q: no PEM certificate in it", "--ca-file %q : aucun certificat PEM dans le fichier", file)
	}
	c := input.NewClientPolicy(30*time.Second, netguard.Policy{AllowPrivate: allowPrivate})
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return c, nil
}

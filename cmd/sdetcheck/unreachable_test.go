package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// An address that cannot be reached (a name that does not resolve, a
// closed port) is an error naming the host, and exit 2: for the pages
// and the notice of an audit, even without the optional validated notice,
// and for check page and check notice.
func TestUnreachableAddressNamesHost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()

	dir := t.TempDir()
	copyTree(t, "../../fixtures/dossiers/conforme", dir)
	path := filepath.Join(dir, "ent.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	y := regexp.MustCompile(`(?m)^  notice_reference:.*\n`).ReplaceAllString(string(data), "")
	y = strings.NewReplacer(
		"home_page: pages/accueil.html", "home_page: https://ent.invalid/",
		"login_page: pages/connexion.html", "login_page: https://"+closed+"/login",
		"notice: pages/mentions-information.html", "notice: https://mentions.invalid/mentions",
	).Replace(y)
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		args  []string
		hosts []string
	}{
		{"audit", []string{"audit", dir, "--allow-private-network"}, []string{"ent.invalid", closed, "mentions.invalid"}},
		{"check page", []string{"check", "page", "https://ent.invalid/"}, []string{"ent.invalid"}},
		{"check notice", []string{"check", "notice", "https://mentions.invalid/mentions"}, []string{"mentions.invalid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := runCLI(t, append(c.args, "--format", "text", "--now", "2026-11-23T12:00:00Z")...)
			if code != 2 {
				t.Errorf("exit %d, want 2\n%s", code, stderr)
			}
			for _, h := range c.hosts {
				if !strings.Contains(stderr, h) {
					t.Errorf("standard error does not name %s:\n%s", h, stderr)
				}
				if !strings.Contains(out, h) {
					t.Errorf("report does not name %s:\n%s", h, out)
				}
			}
			if strings.Contains(out, " 0 erreur") {
				t.Errorf("report says 0 erreur:\n%s", out)
			}
		})
	}
}

// Package urlshow says how a finding quotes an address (an entityID, an
// assertion consumer URL, an audience, an endpoint): without its query
// string, fragment or user information, which may carry tokens or
// credentials (a login capture holds session secrets), each replaced by a
// mark that says something was left out. When two addresses differ only in
// what is left out or in what a reader hardly sees (the case of the scheme
// or host name, a trailing slash), Diff says what differs, so that a
// finding never shows two addresses that look identical without a word.
package urlshow

import "strings"

// Marks of what Quote leaves out.
const (
	QueryMark    = "?…"
	FragmentMark = "#…"
	UserMark     = "…@"
)

// parts is an address cut as written (no decoding, no normalisation):
// scheme://user@host/path?query#fragment; an address without "://" (a
// URN) is all path.
type parts struct {
	scheme, user, host, path, query, fragment    string
	hasAuthority, hasUser, hasQuery, hasFragment bool
}

func split(s string) parts {
	var p parts
	if i := strings.IndexByte(s, '#'); i >= 0 {
		p.fragment, p.hasFragment, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		p.query, p.hasQuery, s = s[i+1:], true, s[:i]
	}
	if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], "/:") {
		p.scheme, p.hasAuthority, s = s[:i], true, s[i+3:]
		j := strings.IndexByte(s, '/')
		if j < 0 {
			j = len(s)
		}
		auth := s[:j]
		if k := strings.LastIndexByte(auth, '@'); k >= 0 {
			p.user, p.hasUser, auth = auth[:k], true, auth[k+1:]
		}
		p.host, s = auth, s[j:]
	}
	p.path = s
	return p
}

// Quote returns the address as a finding shows it: as written, less its
// user information, query string and fragment, each replaced by its mark
// ("https://…@host/path?…#…"). An address without them is returned as it
// is.
func Quote(s string) string {
	p := split(s)
	if !p.hasUser && !p.hasQuery && !p.hasFragment {
		return s
	}
	var b strings.Builder
	if p.hasAuthority {
		b.WriteString(p.scheme + "://")
		if p.hasUser {
			b.WriteString(UserMark)
		}
		b.WriteString(p.host)
	}
	b.WriteString(p.path)
	if p.hasQuery {
		b.WriteString(QueryMark)
	}
	if p.hasFragment {
		b.WriteString(FragmentMark)
	}
	return b.String()
}

// Diff says, in French and in English, how two addresses differ when they
// differ only in what Quote leaves out (user information, query string,
// fragment) or in what a reader hardly sees (the case of the scheme or of
// the host name, a trailing slash): "les deux adresses ne diffèrent que
// par la chaîne de requête (non reproduite)". It returns "" when they are
// equal or differ elsewhere (the quoted addresses then show it).
func Diff(a, b string) (fr, en string) {
	if a == b {
		return "", ""
	}
	p, q := split(a), split(b)
	if p.hasAuthority != q.hasAuthority || !strings.EqualFold(p.scheme, q.scheme) || !strings.EqualFold(p.host, q.host) ||
		strings.TrimSuffix(p.path, "/") != strings.TrimSuffix(q.path, "/") {
		return "", ""
	}
	var frs, ens []string
	add := func(differ bool, f, e string) {
		if differ {
			frs, ens = append(frs, f), append(ens, e)
		}
	}
	add(p.scheme != q.scheme, "la casse du schéma", "the case of the scheme")
	add(p.host != q.host, "la casse du nom d'hôte", "the case of the host name")
	add(p.path != q.path, "une barre oblique finale", "a trailing slash")
	add(p.hasUser != q.hasUser || p.user != q.user, "les informations d'utilisateur (non reproduites)", "the user information (not shown)")
	add(p.hasQuery != q.hasQuery || p.query != q.query, "la chaîne de requête (non reproduite)", "the query string (not shown)")
	add(p.hasFragment != q.hasFragment || p.fragment != q.fragment, "le fragment (non reproduit)", "the fragment (not shown)")
	if len(frs) == 0 {
		return "", ""
	}
	return "les deux adresses ne diffèrent que par " + list(frs, "et"), "the two addresses differ only in " + list(ens, "and")
}

// list joins items as a sentence does: "a, b et c".
func list(items []string, and string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

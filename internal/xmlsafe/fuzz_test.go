package xmlsafe

import "testing"

// FuzzParse proves that no input makes Parse panic or hang; the seeds run
// with every `go test`, `go test -fuzz=FuzzParse` explores further.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`<a/>`, `<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>`,
		`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`, `<a xmlns:b="u"><b:c b:d="1"/></a>`,
		"\xff\xfe<\x00a\x00/\x00>\x00", `<a><![CDATA[x]]></a>`, `<a>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Parse("f.xml", data, Limits{MaxDepth: 64, MaxTokens: 10000})
	})
}

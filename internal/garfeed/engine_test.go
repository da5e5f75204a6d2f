package garfeed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/libxml2"
)

// testEngines returns the XSD engines this machine can run: the pure-Go
// one always, libxml2 when the system has it (CI sets
// SDETCHECK_REQUIRE_LIBXML2=1 so that a missing libxml2 fails instead).
func testEngines(t testing.TB) []Engine {
	t.Helper()
	goEng, err := ResolveEngine(EngineGo)
	if err != nil {
		t.Fatal(err)
	}
	engs := []Engine{goEng}
	lx, err := ResolveEngine(EngineLibxml2)
	switch {
	case err == nil:
		engs = append(engs, lx)
	case os.Getenv("SDETCHECK_REQUIRE_LIBXML2") == "1":
		t.Fatalf("libxml2 required: %v", err)
	default:
		t.Logf("libxml2 not tested: %v", err)
	}
	return engs
}

func TestResolveEngine(t *testing.T) {
	if e, err := ResolveEngine(EngineGo); err != nil || e.Name != EngineGo || e.Label != goEngineLabel {
		t.Errorf("go: %+v %v", e, err)
	}
	if _, err := ResolveEngine("saxon"); err == nil || !strings.Contains(err.Error(), `"saxon"`) {
		t.Errorf("unknown engine: %v", err)
	}
	auto, err := ResolveEngine(EngineAuto)
	if err != nil {
		t.Fatal(err)
	}
	if _, lerr := libxml2.Load(); lerr == nil {
		if auto.Name != EngineLibxml2 || !strings.HasPrefix(auto.Label, "libxml2 2.") {
			t.Errorf("auto with libxml2 present: %+v", auto)
		}
	} else if auto.Name != EngineGo {
		t.Errorf("auto without libxml2: %+v", auto)
	}
}

// verdictOf sums up an outcome for comparing engines: valid, invalid (with
// the lines of its violations) or unreadable.
func verdictOf(o schemaOutcome) string {
	switch {
	case o.err != nil:
		if _, ok := input.AsError(o.err); ok {
			return "unreadable"
		}
		return "engine error: " + o.err.Error()
	case len(o.viol) > 0:
		return "invalid"
	}
	return "valid"
}

// String shows an outcome with its error's text (for test messages).
func (o schemaOutcome) String() string {
	return fmt.Sprintf("{viol:%v trunc:%v err:%v}", o.viol, o.trunc, o.err)
}

// TestEnginesAgree: libxml2 and the pure-Go engine give every XML file of
// the GAR fixtures (good and bad) the same verdict.
func TestEnginesAgree(t *testing.T) {
	engs := testEngines(t)
	if len(engs) < 2 {
		t.Skip("only one engine on this machine")
	}
	files, _ := filepath.Glob("../../fixtures/gar/*/*.xml")
	more, _ := filepath.Glob("../../fixtures/dossiers/*/gar/*.xml")
	files = append(files, more...)
	if len(files) < 20 {
		t.Fatalf("only %d fixture files", len(files))
	}
	invalid := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ns, _, err := sniffRoot(data)
		if err != nil {
			continue
		}
		var got []string
		var outs []schemaOutcome
		for _, e := range engs {
			vs := Reader{eng: e}
			if err := vs.prepare(ns, DefaultLimits); err != nil {
				t.Fatal(err)
			}
			o := vs.validate(context.Background(), ns, strings.NewReader(string(data)))
			outs = append(outs, o)
			got = append(got, verdictOf(o))
		}
		if got[0] != got[1] {
			t.Errorf("%s: %s says %s, %s says %s\n%+v\n%+v", f, engs[0].Name, got[0], engs[1].Name, got[1], outs[0], outs[1])
		}
		if got[0] == "invalid" {
			invalid++
		}
	}
	if invalid == 0 {
		t.Error("no invalid fixture compared")
	}
}

func TestMaskValues(t *testing.T) {
	for in, want := range map[string]string{
		"Element '{http://data.education.fr/ns/gar}GARPersonCivilite': [facet 'enumeration'] The value 'Mlle' is not an element of the set {'M.', 'Mme'}.": "Element 'GARPersonCivilite': [facet 'enumeration'] The value «…» is not an element of the set {«…», «…»}.",
		"Element '{http://data.education.fr/ns/gar}GARPersonDateNaissance': 'Dupont' is not a valid value of the atomic type 'xs:date'.":                   "Element 'GARPersonDateNaissance': «…» is not a valid value of the atomic type 'xs:date'.",
		"Element '{http://data.education.fr/ns/gar/1d}GAREleve': Duplicate key-sequence ['ab12'] in key identity-constraint 'K'.":                          "Element 'GAREleve': Duplicate key-sequence [«…»] in key identity-constraint 'K'.",
		"Start tag expected, '<' not found":     "Start tag expected, '<' not found",
		"Sequence ']]>' not allowed in content": "Sequence ']]>' not allowed in content",
		"Entity 'Dupont' not defined":           "Entity «…» not defined",
		// Values holding apostrophes (N'Diaye): the quotes cannot be paired.
		"Element 'GAREleve': Duplicate key-sequence ['ed10'24a5'] in key identity-constraint 'K'.":                                                 "Element 'GAREleve': Duplicate key-sequence [«…»] in key identity-constraint 'K'.",
		"Element 'GAREleve': Duplicate key-sequence ['a'b'c'd'] in key identity-constraint 'K'.":                                                   "Element 'GAREleve': Duplicate key-sequence [«…»] in key identity-constraint 'K'.",
		"Element 'GARPersonDateNaissance': '21'octobre'2012' is not a valid value of the atomic type 'xs:date'.":                                   "Element 'GARPersonDateNaissance': «…» is not a valid value of the atomic type 'xs:date'.",
		"Element 'GARPersonNom': [facet 'maxLength'] The value 'N'Diaye' has a length of '600'; this exceeds the allowed maximum length of '500'.": "Element 'GARPersonNom': [facet 'maxLength'] The value «…».",
		"Element 'GARPersonNom': [facet 'maxLength'] The value 'Diaye' has a length of '600'; this exceeds the allowed maximum length of '500'.":   "Element 'GARPersonNom': [facet 'maxLength'] The value «…» has a length of «…»; this exceeds the allowed maximum length of «…».",
		"Element 'GARPersonCivilite': [facet 'enumeration'] The value 'type 'x' is not an element of the set {'M.', 'Mme'}.":                       "Element 'GARPersonCivilite': [facet 'enumeration'] The value «…»}.",
		"Entity 'D'Almeida' not defined": "Entity «…» not defined",
	} {
		if got := maskValues(in); got != want {
			t.Errorf("maskValues(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

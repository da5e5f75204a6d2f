package rules

import (
	"strings"
	"testing"
)

// A reference whose document already says "pratique observée" does not
// say it twice.
func TestReferenceObservedOnce(t *testing.T) {
	for _, r := range All() {
		if s := r.Reference.String(); strings.Count(s, "pratique observée") > 1 {
			t.Errorf("%s: %q", r.ID, s)
		}
	}
	got := Reference{Basis: BasisObserved, Document: "GAR XSD"}.String()
	if got != "GAR XSD (pratique observée)" {
		t.Errorf("observed basis not marked: %q", got)
	}
}

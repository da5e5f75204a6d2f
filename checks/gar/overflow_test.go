package gar

import (
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// link is a GARPersonGroupe of pupil alix to group code.
func link(code string) string {
	return `<GARPersonGroupe><GARStructureUAI>0861001W</GARStructureUAI><GARPersonIdentifiant>e0000000000alix</GARPersonIdentifiant><GARGroupeCode>` + code + `</GARGroupeCode></GARPersonGroupe>
`
}

// TestPendingOverflowIndependentOfVisitOrder: when more references wait
// for their target than can be kept (maxPending), which ones were kept
// depends on the order files are read in. The rule is then reported as
// not evaluated, without the failures of the references that happened to
// be kept, so that the findings stay the same whatever the order, and
// an export too inconsistent to judge is never called conformant.
func TestPendingOverflowIndependentOfVisitOrder(t *testing.T) {
	old := maxPending
	maxPending = 4
	defer func() { maxPending = old }()
	feed := map[string]string{
		"Etab_0000":  etab,
		"Eleve_0000": pupil("e0000000000alix", "Exemple", "Alix", "Mme"),
		// Links to groups of the next file (G*) and to no group (X*).
		"Groupe_0000": groupe("Y1", "DIVISION") + groupe("Y2", "DIVISION") + groupe("Y3", "DIVISION") +
			link("G1") + link("G2") + link("G3") + link("X1") + link("X2") + link("X3"),
		// Links to groups of the previous file (Y*) and to no group (Z*).
		"Groupe_0001": groupe("G1", "DIVISION") + groupe("G2", "DIVISION") + groupe("G3", "DIVISION") +
			link("Y1") + link("Y2") + link("Y3") + link("Z1") + link("Z2") + link("Z3"),
	}
	dir := writeFeed(t, feed)
	got := findingsBothOrders(t, dir)["GAR-008"]
	if len(got) != 1 || got[0].Status != result.Error || !strings.HasPrefix(got[0].MessageEN, "Not evaluated: ") {
		t.Fatalf("GAR-008 = %+v, want one error (not evaluated)", got)
	}
}

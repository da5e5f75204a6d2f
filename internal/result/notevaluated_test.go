package result

import "testing"

// TestNotEvaluatedIsIncomplete: a bloquant or majeur rule whose piece was
// not supplied (check notice without --reference: NOTICE-002) makes the
// verdict incomplet, never conforme; a mineur one leaves it conforme avec
// réserves (what was not examined is said, not hidden).
func TestNotEvaluatedIsIncomplete(t *testing.T) {
	pass := Finding{Rule: "NOTICE-001", Status: Pass, Severity: Majeur}
	ne := Finding{Rule: "NOTICE-002", Status: NotEvaluated, Severity: Majeur}
	if v := VerdictOf([]Finding{pass, ne}, testTraits); v != Incomplet {
		t.Errorf("majeur not evaluated: %s, want %s", v, Incomplet)
	}
	ne.Severity = Mineur
	if v := VerdictOf([]Finding{pass, ne}, testTraits); v != ConformeAvecReserves {
		t.Errorf("mineur not evaluated: %s, want %s", v, ConformeAvecReserves)
	}
	fail := Finding{Rule: "NOTICE-003", Status: Fail, Severity: Majeur}
	ne.Severity = Majeur
	if v := VerdictOf([]Finding{fail, ne}, testTraits); v != NonConforme {
		t.Errorf("failure and not evaluated: %s, want %s", v, NonConforme)
	}
}

package result

import "testing"

// TestNotEvaluatedIsIncomplete: a bloquant or majeur rule whose piece was
// not supplied (check notice without --reference: NOTICE-002) makes the
// verdict incomplet, never conforme; a mineur one does not.
func TestNotEvaluatedIsIncomplete(t *testing.T) {
	pass := Finding{Rule: "NOTICE-001", Status: Pass, Severity: Majeur}
	ne := Finding{Rule: "NOTICE-002", Status: NotEvaluated, Severity: Majeur}
	if v := VerdictOf(Summarize([]Finding{pass, ne})); v != Incomplet {
		t.Errorf("majeur not evaluated: %s, want %s", v, Incomplet)
	}
	ne.Severity = Mineur
	if v := VerdictOf(Summarize([]Finding{pass, ne})); v != Conforme {
		t.Errorf("mineur not evaluated: %s, want %s", v, Conforme)
	}
	fail := Finding{Rule: "NOTICE-003", Status: Fail, Severity: Majeur}
	ne.Severity = Majeur
	if v := VerdictOf(Summarize([]Finding{fail, ne})); v != NonConforme {
		t.Errorf("failure and not evaluated: %s, want %s", v, NonConforme)
	}
}

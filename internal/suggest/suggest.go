// Package suggest finds, for a word a user mistyped (a command, an
// option, a key of a YAML file), the known word they most likely meant.
package suggest

import "strings"

// MaxDistance is how far a word may be from a known one to be suggested:
// two edits (a letter added, removed, replaced, or two letters swapped).
const MaxDistance = 2

// Nearest returns the word of known closest to word (by Distance, case
// ignored), "" when none is within MaxDistance or word is one of them.
// Ties go to the first in known's order.
func Nearest(word string, known []string) string {
	best, bestD := "", MaxDistance+1
	w := strings.ToLower(word)
	for _, k := range known {
		d := Distance(w, strings.ToLower(k))
		if d == 0 {
			return ""
		}
		// A word of one or two letters is too short for two edits to
		// mean anything.
		if d < bestD && d < len([]rune(k)) {
			best, bestD = k, d
		}
	}
	return best
}

// Distance is the Damerau–Levenshtein distance between a and b (optimal
// string alignment: insertions, deletions, substitutions and swaps of two
// adjacent letters each count one).
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

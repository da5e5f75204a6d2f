package input

import "unicode/utf8"

// FirstInvalidUTF8 returns the line and column (in bytes, from 1) of the
// first byte of data that is not UTF-8, or 0, 0 when data is valid: the
// place to name for a file saved in ISO-8859-1 or Windows-1252, which
// decoders report where they next look at text, or without a line.
func FirstInvalidUTF8(data []byte) (line, col int) {
	if utf8.Valid(data) {
		return 0, 0
	}
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, i - start + 1
		}
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
		i += n
	}
	return 0, 0
}

package garfeed

import (
	_ "embed"
	"strings"
)

// Namespaces of the two GAR feed schemas.
const (
	NS2D = "http://data.education.fr/ns/gar"
	NS1D = "http://data.education.fr/ns/gar/1d"
)

//go:embed schema/GAR-ENT-2D-v1.7.xsd
var xsd2D []byte

//go:embed schema/GAR-ENT-1D-v1.4.xsd
var xsd1D []byte

// XSD returns the embedded GAR schema of a degree ("1D" or "2D").
func XSD(degree string) []byte {
	if strings.EqualFold(degree, "1D") {
		return xsd1D
	}
	return xsd2D
}

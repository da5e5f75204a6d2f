package garfeed

import (
	"strings"
	"time"
)

// Profiles lists the GAR profiles as practised (GARPersonProfil values).
var Profiles = []string{"National_elv", "National_ens", "National_doc", "National_dir", "National_evs", "National_eta", "National_col"}

// ParseXSDate reads an xs:date: yyyy-MM-dd, optionally followed by a
// timezone, "Z" or ±hh:mm (JAXB writes the JVM's offset:
// 2012-10-21+02:00), around white space that the type collapses. The day
// is the one written, whatever the offset.
func ParseXSDate(d string) (time.Time, error) {
	d = strings.TrimSpace(d) // xs:date collapses white space
	if t, err := time.Parse("2006-01-02", d); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02Z07:00", d)
	if err != nil {
		return t, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

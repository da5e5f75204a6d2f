package contract

import (
	"regexp"
	"sort"
	"strings"
)

// place is where a contract says data are processed: a country, the
// Union, or a third country.
type place struct {
	// Code is the ISO 3166-1 alpha-2 code ("EU" for the Union as a
	// whole).
	Code string
	// Name is the French name.
	Name string
	// InEU: the European Union or the European Economic Area.
	InEU bool
}

// euCodes are the members of the European Union and of the European
// Economic Area (Norway, Iceland, Liechtenstein).
var euCodes = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true, "FI": true,
	"FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true, "LT": true, "LU": true,
	"MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
	"NO": true, "IS": true, "LI": true, "EU": true,
	// French overseas regions and territories geolocated apart
	"GP": true, "MQ": true, "GF": true, "RE": true, "YT": true, "MF": true, "PM": true, "BL": true,
}

// InEU reports a country code of the Union or the EEA.
func InEU(code string) bool { return euCodes[strings.ToUpper(code)] }

// placeNames maps folded names (French and English), capitals and
// hosting cities, and cloud regions to their country.
var placeNames = map[string]string{
	// the Union as a whole
	"union europeenne": "EU", "l'union": "EU", "ue": "EU", "eee": "EU", "espace economique europeen": "EU",
	"european union": "EU", "eu": "EU", "eea": "EU", "europe": "EU", "etats membres": "EU", "etat membre": "EU",
	// members
	"france": "FR", "france metropolitaine": "FR", "territoire francais": "FR", "territoire national": "FR",
	"allemagne": "DE", "germany": "DE", "autriche": "AT", "austria": "AT", "belgique": "BE", "belgium": "BE",
	"bulgarie": "BG", "bulgaria": "BG", "croatie": "HR", "croatia": "HR", "chypre": "CY", "cyprus": "CY",
	"republique tcheque": "CZ", "tchequie": "CZ", "czech republic": "CZ", "czechia": "CZ", "danemark": "DK", "denmark": "DK",
	"estonie": "EE", "estonia": "EE", "finlande": "FI", "finland": "FI", "grece": "GR", "greece": "GR",
	"hongrie": "HU", "hungary": "HU", "irlande": "IE", "ireland": "IE", "italie": "IT", "italy": "IT",
	"lettonie": "LV", "latvia": "LV", "lituanie": "LT", "lithuania": "LT", "luxembourg": "LU", "malte": "MT", "malta": "MT",
	"pays-bas": "NL", "pays bas": "NL", "netherlands": "NL", "hollande": "NL", "pologne": "PL", "poland": "PL",
	"portugal": "PT", "roumanie": "RO", "romania": "RO", "slovaquie": "SK", "slovakia": "SK", "slovenie": "SI", "slovenia": "SI",
	"espagne": "ES", "spain": "ES", "suede": "SE", "sweden": "SE",
	"norvege": "NO", "norway": "NO", "islande": "IS", "iceland": "IS", "liechtenstein": "LI",
	"guadeloupe": "GP", "martinique": "MQ", "guyane": "GF", "la reunion": "RE", "reunion": "RE", "mayotte": "YT",
	// hosting cities and cloud regions
	"paris": "FR", "roubaix": "FR", "gravelines": "FR", "strasbourg": "FR", "lyon": "FR", "lille": "FR", "marseille": "FR",
	"nantes": "FR", "bordeaux": "FR", "toulouse": "FR", "rennes": "FR", "poitiers": "FR", "limoges": "FR", "montpellier": "FR",
	"aubervilliers": "FR", "saint-denis": "FR", "courbevoie": "FR", "nanterre": "FR", "clichy": "FR", "pantin": "FR",
	"massy": "FR", "velizy": "FR", "croissy-beaubourg": "FR", "wissous": "FR", "vitry-sur-seine": "FR", "dijon": "FR",
	"francfort": "DE", "frankfurt": "DE", "berlin": "DE", "munich": "DE", "amsterdam": "NL", "dublin": "IE", "madrid": "ES",
	"milan": "IT", "stockholm": "SE", "varsovie": "PL", "warsaw": "PL", "bruxelles": "BE", "brussels": "BE", "vienne (autriche)": "AT",
	"eu-west-3": "FR", "eu-west-1": "IE", "eu-central-1": "DE", "eu-north-1": "SE", "eu-south-1": "IT", "eu-west-2": "GB",
	"europe-west9": "FR", "europe-west1": "BE", "europe-west3": "DE", "europe-west4": "NL", "france central": "FR", "france south": "FR",
	"west europe": "NL", "north europe": "IE", "germany west central": "DE",
	"us-east-1": "US", "us-east-2": "US", "us-west-1": "US", "us-west-2": "US", "east us": "US", "west us": "US", "us-central1": "US",
	// third countries
	"etats-unis": "US", "etats unis": "US", "etats-unis d'amerique": "US", "usa": "US", "united states": "US", "amerique": "US",
	"royaume-uni": "GB", "royaume uni": "GB", "united kingdom": "GB", "angleterre": "GB", "grande-bretagne": "GB", "londres": "GB", "london": "GB",
	"suisse": "CH", "switzerland": "CH", "canada": "CA", "montreal": "CA", "inde": "IN", "india": "IN", "chine": "CN", "china": "CN",
	"japon": "JP", "japan": "JP", "israel": "IL", "singapour": "SG", "singapore": "SG", "australie": "AU", "australia": "AU",
	"bresil": "BR", "brazil": "BR", "maroc": "MA", "morocco": "MA", "tunisie": "TN", "tunisia": "TN", "senegal": "SN",
	"madagascar": "MG", "ile maurice": "MU", "mauritius": "MU", "russie": "RU", "russia": "RU",
	"ukraine": "UA", "turquie": "TR", "turkey": "TR", "coree du sud": "KR", "south korea": "KR", "philippines": "PH",
	"vietnam": "VN", "viet nam": "VN", "mexique": "MX", "mexico": "MX", "argentine": "AR", "afrique du sud": "ZA",
	"nouvelle-zelande": "NZ", "new zealand": "NZ", "egypte": "EG", "emirats arabes unis": "AE", "hong kong": "HK",
	"taiwan": "TW", "serbie": "RS", "albanie": "AL", "moldavie": "MD", "algerie": "DZ", "cote d'ivoire": "CI",
	"cameroun": "CM", "benin": "BJ", "pays tiers": "XX", "pays tiers a l'union": "XX", "hors ue": "XX", "hors union europeenne": "XX",
	"monde entier": "XX",
}

// countryNames are the French names of the codes placeNames gives.
var countryNames = map[string]string{
	"EU": "Union européenne", "FR": "France", "DE": "Allemagne", "AT": "Autriche", "BE": "Belgique", "BG": "Bulgarie",
	"HR": "Croatie", "CY": "Chypre", "CZ": "Tchéquie", "DK": "Danemark", "EE": "Estonie", "FI": "Finlande", "GR": "Grèce",
	"HU": "Hongrie", "IE": "Irlande", "IT": "Italie", "LV": "Lettonie", "LT": "Lituanie", "LU": "Luxembourg", "MT": "Malte",
	"NL": "Pays-Bas", "PL": "Pologne", "PT": "Portugal", "RO": "Roumanie", "SK": "Slovaquie", "SI": "Slovénie", "ES": "Espagne",
	"SE": "Suède", "NO": "Norvège", "IS": "Islande", "LI": "Liechtenstein", "GP": "Guadeloupe", "MQ": "Martinique",
	"GF": "Guyane", "RE": "La Réunion", "YT": "Mayotte", "US": "États-Unis", "GB": "Royaume-Uni", "CH": "Suisse",
	"CA": "Canada", "IN": "Inde", "CN": "Chine", "JP": "Japon", "IL": "Israël", "SG": "Singapour", "AU": "Australie",
	"BR": "Brésil", "MA": "Maroc", "TN": "Tunisie", "SN": "Sénégal", "MG": "Madagascar", "MU": "Maurice", "RU": "Russie",
	"UA": "Ukraine", "TR": "Turquie", "KR": "Corée du Sud", "PH": "Philippines", "VN": "Viêt Nam", "MX": "Mexique",
	"AR": "Argentine", "ZA": "Afrique du Sud", "NZ": "Nouvelle-Zélande", "EG": "Égypte", "AE": "Émirats arabes unis",
	"HK": "Hong Kong", "TW": "Taïwan", "RS": "Serbie", "AL": "Albanie", "MD": "Moldavie", "DZ": "Algérie", "CI": "Côte d'Ivoire",
	"CM": "Cameroun", "BJ": "Bénin", "XX": "pays tiers",
}

// countryNamesEN are the English names of the codes whose French name
// differs.
var countryNamesEN = map[string]string{
	"EU": "European Union", "DE": "Germany", "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia",
	"CY": "Cyprus", "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "GR": "Greece", "HU": "Hungary",
	"IE": "Ireland", "IT": "Italy", "LV": "Latvia", "LT": "Lithuania", "MT": "Malta", "NL": "Netherlands", "PL": "Poland",
	"RO": "Romania", "SK": "Slovakia", "SI": "Slovenia", "ES": "Spain", "SE": "Sweden", "NO": "Norway", "IS": "Iceland",
	"GF": "French Guiana", "RE": "Réunion", "US": "United States", "GB": "United Kingdom", "CH": "Switzerland",
	"IN": "India", "CN": "China", "JP": "Japan", "IL": "Israel", "SG": "Singapore", "AU": "Australia", "BR": "Brazil",
	"MA": "Morocco", "TN": "Tunisia", "SN": "Senegal", "MU": "Mauritius", "RU": "Russia", "TR": "Turkey",
	"KR": "South Korea", "VN": "Vietnam", "MX": "Mexico", "AR": "Argentina", "ZA": "South Africa", "NZ": "New Zealand",
	"EG": "Egypt", "AE": "United Arab Emirates", "TW": "Taiwan", "RS": "Serbia", "AL": "Albania", "MD": "Moldova",
	"DZ": "Algeria", "CI": "Côte d'Ivoire", "CM": "Cameroon", "BJ": "Benin", "XX": "third country",
}

// CountryNameEN is the English name of an ISO code.
func CountryNameEN(code string) string {
	code = strings.ToUpper(code)
	if n, ok := countryNamesEN[code]; ok {
		return n
	}
	return CountryName(code)
}

// CountryName is the French name of an ISO code, the code itself when
// unknown.
func CountryName(code string) string {
	if n, ok := countryNames[strings.ToUpper(code)]; ok {
		return n
	}
	return strings.ToUpper(code)
}

// placeRe finds the place names in folded text, longest first.
var placeRe = func() *regexp.Regexp {
	names := make([]string, 0, len(placeNames))
	for n := range placeNames {
		names = append(names, regexp.QuoteMeta(n))
	}
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return regexp.MustCompile(`(?:^|[^\pL\d-])(` + strings.Join(names, "|") + `)(?:$|[^\pL\d-])`)
}()

// isoCellRe is a cell holding only a country code ("FR", "US").
var isoCellRe = regexp.MustCompile(`^[a-z]{2}$`)

// places returns the places a folded text names, in order, each once.
// The short forms "ue" and "eu" count only as words of their own.
func places(s string) []place {
	var out []place
	seen := map[string]bool{}
	add := func(code string) {
		if seen[code] {
			return
		}
		seen[code] = true
		out = append(out, place{Code: code, Name: CountryName(code), InEU: code != "XX" && euCodes[code]})
	}
	if t := strings.TrimSpace(s); isoCellRe.MatchString(t) {
		if _, ok := countryNames[strings.ToUpper(t)]; ok && t != "ue" && t != "eu" {
			add(strings.ToUpper(t))
			return out
		}
	}
	// matches may share their bounding character: scan from each end
	for i := 0; i < len(s); {
		m := placeRe.FindStringSubmatchIndex(s[i:])
		if m == nil {
			break
		}
		add(placeNames[s[i+m[2]:i+m[3]]])
		i += m[3]
	}
	return out
}

package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

const mapGood = "fixtures/mapping/mapping.yaml"

var (
	mapFormat   = Reference{Basis: BasisObserved, Document: "Format sdetcheck de déclaration de correspondance AAF → ENT → GAR (docs/mapping.md, checks/mapping/mapping.schema.json)", Version: "1"}
	mapObserved = Reference{Basis: BasisObserved, Document: "GAR — pratique observée (exportateurs ENT publics) ; AAF — format d'export observé"}
)

func mapRule(id string, sev result.Severity, ref Reference, titleFR, titleEN, ratFR, ratEN, remFR, remEN string, action Text, bad ...string) Rule {
	return stableRule(AreaMapping, []string{mapGood}, id, sev, ref, titleFR, titleEN, ratFR, ratEN, remFR, remEN, action, bad...)
}

// mappingRules are the rules of the mapping area. Their logic lives in checks/mapping.
var (
	MAP001 = new(mapRule("MAP-001", result.Majeur, mapFormat,
		"Correspondance déclarée dans le format attendu", "Mapping declared in the expected format",
		"La correspondance AAF → ENT → GAR doit être déclarée dans un fichier YAML conforme au schéma publié, pour le degré du dossier, afin d'être contrôlable.",
		"The AAF → ENT → GAR mapping must be declared in a YAML file valid against the published schema, for the dossier's degree, so that it can be checked.",
		"Rédiger la correspondance selon docs/mapping.md et la valider avec le schéma JSON fourni.",
		"Write the mapping as described in docs/mapping.md and validate it with the JSON Schema provided.",
		Text{FR: "Fournir la table de correspondance de l'annuaire dans le format attendu.", EN: "Supply the directory mapping table in the expected format."},
		"fixtures/mapping/bad-format.yaml"))
	MAP002 = new(mapRule("MAP-002", result.Bloquant, Reference{Basis: BasisSchema, Document: "GAR XSD 2D v1.7 / GAR XSD 1D v1.4 (minOccurs)", Version: "1.7 / 1.4"},
		"Chaque élément GAR obligatoire a une source", "Every mandatory GAR element has a source",
		"Les éléments obligatoires du XSD (minOccurs ≥ 1) des élèves, enseignants, établissements, groupes et rattachements doivent avoir une source déclarée, sinon l'export ne peut pas être valide.",
		"The XSD's mandatory elements (minOccurs ≥ 1) of pupils, teachers, establishments, groups and links must have a declared source, or the export cannot be valid.",
		"Déclarer la source (attribut ENT, attribut AAF, transformation) de chaque élément obligatoire.",
		"Declare the source (ENT attribute, AAF attribute, transformation) of every mandatory element.",
		Text{FR: "Indiquer d'où vient chaque donnée obligatoire envoyée au GAR.", EN: "State where each mandatory piece of data sent to the GAR comes from."},
		"fixtures/mapping/bad-incomplete.yaml"))
	MAP003 = new(mapRule("MAP-003", result.Majeur, Reference{Basis: BasisObserved, Document: "Schéma LDAP de type SDET (GIP-RECIA) et format d'export AAF (pratique observée)"},
		"Sources : vrais noms d'attributs AAF / SDET", "Sources are real AAF / SDET attribute names",
		"Une source qui n'existe ni dans l'annuaire ENT (SDET) ni dans l'AAF ne peut pas alimenter le GAR : la correspondance serait invérifiable ou fausse.",
		"A source that exists neither in the ENT directory (SDET) nor in the AAF cannot feed the GAR: the mapping would be unverifiable or wrong.",
		"Citer les attributs par leur nom exact (ex. ENTPersonDateNaissance, ENTPersonStructRattach).",
		"Cite attributes by their exact name (e.g. ENTPersonDateNaissance, ENTPersonStructRattach).",
		Text{FR: "Désigner chaque donnée d'origine par son nom exact dans l'annuaire académique.", EN: "Name each source data item by its exact name in the academic directory."},
		"fixtures/mapping/bad-names.yaml"))
	MAP004 = new(mapRule("MAP-004", result.Bloquant, Reference{Basis: BasisObserved, Document: "RGPD art. 5.1.c (minimisation) ; GAR XSD 2D v1.7 / 1D v1.4 (éléments définis)"},
		"Minimisation : seuls les éléments du schéma GAR, depuis les bons attributs", "Minimisation: only GAR schema elements, from the right attributes",
		"La correspondance ne doit envoyer au GAR que des éléments que son schéma définit (pas de courriel ni téléphone d'élève, pas de courriel enseignant en 1D v1.4, pas d'INE), chacun alimenté par l'attribut AAF qui lui correspond.",
		"The mapping must send the GAR only elements its schema defines (no pupil e-mail or phone, no teacher e-mail in 1D v1.4, no INE), each fed from the AAF attribute that corresponds to it.",
		"Retirer les éléments hors schéma et corriger les sources inadaptées.",
		"Remove elements outside the schema and fix unsuitable sources.",
		Text{FR: "Ne prévoir d'envoyer au GAR que les données que son format prévoit, prises aux bonnes sources.", EN: "Plan to send the GAR only the data its format provides for, taken from the right sources."},
		"fixtures/mapping/bad-minimisation.yaml"))
	MAP005 = new(mapRule("MAP-005", result.Majeur, mapObserved,
		"Transformations déclarées", "Transformations declared",
		"L'AAF donne les dates en jj/mm/aaaa, les structures par identifiant de jointure (pas par UAI), des valeurs composées séparées par $ et des codes fonction ; le GAR attend xs:date, des UAI, des codes simples, des profils et « M. »/« Mme » : chaque conversion doit être déclarée.",
		"The AAF gives dates as dd/MM/yyyy, structures by jointure id (not UAI), $-separated compound values and function codes; the GAR expects xs:date, UAIs, plain codes, profiles and \"M.\"/\"Mme\": each conversion must be declared.",
		"Déclarer les transformations date, uai, split, profile (avec la table profiles) et civilite là où elles s'appliquent.",
		"Declare the date, uai, split, profile (with the profiles table) and civilite transformations where they apply.",
		Text{FR: "Déclarer comment chaque donnée est convertie (dates, identifiants d'établissement, profils, civilité).", EN: "Declare how each data item is converted (dates, establishment identifiers, profiles, titles)."},
		"fixtures/mapping/bad-transforms.yaml"))
	MAP006 = extent(mapRule("MAP-006", result.Bloquant, mapObserved,
		"Le flux suit la correspondance déclarée (échantillons)", "The feed follows the declared mapping (samples)",
		"Sur les personnes présentes à la fois dans les échantillons AAF et dans le flux GAR, les valeurs du flux doivent être celles que donne la correspondance déclarée (date convertie, UAI traduit, profil dérivé du code fonction…).",
		"For persons present in both the AAF samples and the GAR feed, the feed's values must be those the declared mapping gives (converted date, translated UAI, profile derived from the function code…).",
		"Corriger l'exportateur ou la déclaration pour qu'ils concordent.",
		"Fix the exporter or the declaration so that they agree.",
		Text{FR: "Mettre en accord l'export réellement produit et la correspondance déclarée.", EN: "Make the export actually produced and the declared mapping agree."},
		"fixtures/mapping/bad-samples.yaml"))
)

var mappingRules = []*Rule{MAP001, MAP002, MAP003, MAP004, MAP005, MAP006}

package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// Reference documents of the gar area.
var (
	garXSDBoth = Reference{Basis: BasisSchema, Document: "GAR XSD 2D v1.7 / GAR XSD 1D v1.4", Version: "1.7 / 1.4"}
)

const (
	garGood    = "fixtures/gar/good-tar"
	garGoodDir = "fixtures/gar/good"
	// garGoodShapes holds shapes of public exporters (OPEN-ENT-NG
	// gar-connector, AC-Rennes alambic) that the generator does not write.
	garGoodShapes = "fixtures/gar/good-shapes"
)

func garRule(id string, sev result.Severity, ref Reference, titleFR, titleEN, ratFR, ratEN, remFR, remEN string, action Text, bad ...string) Rule {
	return stableRule(AreaGAR, []string{garGood, garGoodDir, garGoodShapes}, id, sev, ref, titleFR, titleEN, ratFR, ratEN, remFR, remEN, action, bad...)
}

var (
	GAR001 = new(garRule("GAR-001", result.Majeur, garObserved,
		"Nommage des fichiers de l'export GAR", "GAR export file naming",
		"Le GAR reconnaît les fichiers d'un export complet à leur nom {idENT}_GAR-ENT_Complet_{aaaammjj}_{hhmmss}_{1D|2D}_{Eleve|Enseignant|Etab|Groupe|RespAff}_{NNNN}.xml : préfixe = identifiant du projet ENT, un seul horodatage par export, type conforme à l'élément racine.",
		"The GAR recognises the files of a complete export by their name {idENT}_GAR-ENT_Complet_{yyyyMMdd}_{HHmmss}_{1D|2D}_{Eleve|Enseignant|Etab|Groupe|RespAff}_{NNNN}.xml: prefix = ENT project identifier, one timestamp per export, kind matching the root element.",
		"Renommer les fichiers selon ce modèle, avec l'idENT attribué par le GAR et un horodatage unique par export.",
		"Name the files after this pattern, with the idENT assigned by the GAR and one timestamp per export.",
		Text{FR: "Nommer les fichiers de l'export comme le GAR l'exige.", EN: "Name the export's files as the GAR requires."},
		"fixtures/gar/bad-naming", "fixtures/gar/bad-ident"))
	GAR002 = new(garRule("GAR-002", result.Bloquant, garXSDBoth,
		"Degré (1D/2D) cohérent entre noms, espace de noms et dossier", "Level (1D/2D) consistent across names, namespace and dossier",
		"Le 2D utilise l'espace de noms http://data.education.fr/ns/gar (XSD v1.7), le 1D http://data.education.fr/ns/gar/1d (XSD v1.4) ; le niveau écrit dans le nom et le degré déclaré du dossier doivent concorder, sinon le GAR rejette l'export.",
		"2D uses namespace http://data.education.fr/ns/gar (XSD v1.7), 1D http://data.education.fr/ns/gar/1d (XSD v1.4); the level in the file names and the dossier's declared degree must agree, or the GAR rejects the export.",
		"Produire l'export avec le schéma du degré de la collectivité et le niveau correspondant dans les noms de fichiers.",
		"Produce the export with the schema of the local authority's degree and the matching level in the file names.",
		Text{FR: "Produire l'export pour le bon degré : écoles (1er degré) ou collèges et lycées (2nd degré).", EN: "Produce the export for the right degree: primary schools (1D) or secondary schools (2D)."},
		"fixtures/gar/bad-degree"))
	GAR003 = archiveOnly(garRule("GAR-003", result.Majeur, garObserved,
		"Archive tar.gz et empreinte .md5 cohérentes", "tar.gz archive and .md5 digest consistent",
		"L'export nocturne est déposé par SFTP en une archive tar.gz accompagnée d'un fichier .md5 contenant l'empreinte hexadécimale en minuscules ; une empreinte fausse fait rejeter le dépôt. Une empreinte juste ne prouve pas que l'archive est saine : un flux gzip dont la fin (CRC-32, longueur) ne correspond pas aux données, des octets après le flux ou un second membre gzip ajouté après l'archive (jamais extrait par tar) sont signalés.",
		"The nightly export is delivered by SFTP as one tar.gz with a .md5 file holding the lowercase hex digest; a wrong digest gets the delivery rejected. A right digest does not prove the archive sound: a gzip stream whose trailer (CRC-32, length) does not match its data, bytes after the stream or a second gzip member appended after the archive (never extracted by tar) are reported.",
		"Calculer le .md5 sur l'archive finale (après compression) et le livrer avec elle.",
		"Compute the .md5 on the final (compressed) archive and deliver it with it.",
		Text{FR: "Livrer avec l'archive de l'export une empreinte de contrôle calculée sur cette archive même.", EN: "Deliver with the export's archive a checksum computed on that very archive."},
		"fixtures/gar/bad-md5"))
	GAR004 = new(garRule("GAR-004", result.Majeur, garXSDBoth,
		"Attribut Version présent sur chaque fichier", "Version attribute on every file",
		"Les éléments racines GAR-ENT-* portent un attribut Version obligatoire (use=\"required\").",
		"The GAR-ENT-* root elements carry a mandatory Version attribute (use=\"required\").",
		"Ajouter Version=\"…\" (version du schéma utilisée) sur l'élément racine de chaque fichier.",
		"Add Version=\"…\" (the schema version used) on each file's root element.",
		Text{FR: "Indiquer dans chaque fichier de l'export la version du format utilisée.", EN: "State in each file of the export the version of the format used."},
		"fixtures/gar/bad-version"))
	GAR005 = extent(garRule("GAR-005", result.Bloquant, garXSDBoth,
		"Validité au regard des XSD du GAR", "Validity against the GAR XSDs",
		"Chaque fichier doit être valide au regard du XSD de son degré, y compris les contraintes d'unicité xs:key (identifiants uniques par fichier) ; un fichier invalide est rejeté à l'import.",
		"Each file must be valid against its degree's XSD, xs:key uniqueness constraints included (identifiers unique per file); an invalid file is rejected on import.",
		"Corriger les éléments signalés (fichier et ligne) ; valider l'export avec le XSD avant le dépôt.",
		"Fix the reported elements (file and line); validate the export against the XSD before delivery.",
		Text{FR: "Corriger l'export pour qu'il respecte le format officiel du GAR, et le contrôler avant chaque envoi.", EN: "Fix the export so that it follows the GAR's official format, and check it before each delivery."},
		"fixtures/gar/bad-schema"))
	GAR006 = new(garRule("GAR-006", result.Bloquant, garObserved,
		"Tout UAI utilisé est décrit par un GAREtab", "Every UAI used is described by a GAREtab",
		"À l'import, le GAR rejette les personnes, groupes, matières et MEF rattachés à un UAI absent des GAREtab de l'export ; un établissement ne doit être décrit qu'une fois.",
		"On import the GAR rejects persons, groups, subjects and MEF attached to a UAI missing from the export's GAREtab elements; an establishment must be described once.",
		"Exporter un GAREtab pour chaque établissement cité, et un seul.",
		"Export one GAREtab, and only one, for every establishment referred to.",
		Text{FR: "Décrire dans l'export chaque établissement cité, une seule fois.", EN: "Describe in the export every establishment referred to, once."},
		"fixtures/gar/bad-uai-ref"))
	GAR007 = new(garRule("GAR-007", result.Bloquant, garObserved,
		"GARPersonIdentifiant unique dans tout l'export", "GARPersonIdentifiant unique across the export",
		"Le XSD n'impose l'unicité que dans un fichier ; le GAR la contrôle sur tout le projet (tous fichiers et profils confondus).",
		"The XSD only enforces uniqueness within a file; the GAR checks it over the whole project (all files and profiles).",
		"Dédoublonner les comptes dans l'annuaire de l'ENT avant l'export.",
		"De-duplicate accounts in the ENT directory before export.",
		Text{FR: "Supprimer les comptes en double avant l'export : chaque personne doit avoir un seul identifiant.", EN: "Remove duplicate accounts before the export: each person must have a single identifier."},
		"fixtures/gar/bad-dup-person"))
	GAR008 = new(garRule("GAR-008", result.Bloquant, garObserved,
		"Rattachements aux groupes valides", "Valid group links",
		"GARPersonGroupe, GAREnsClasseMatiere et GAREnsGroupeMatiere doivent désigner un groupe existant de l'UAI et une personne (élève ou enseignant selon le cas) rattachée à cet UAI ; un couple {UAI, code groupe} ne doit pas être déclaré deux fois.",
		"GARPersonGroupe, GAREnsClasseMatiere and GAREnsGroupeMatiere must name an existing group of the UAI and a person (pupil or teacher as appropriate) attached to that UAI; a {UAI, group code} pair must not be declared twice.",
		"Exporter les groupes avant leurs membres et ne lier que des personnes exportées pour cet établissement ; ne déclarer chaque couple {UAI, code groupe} qu'une fois dans l'export.",
		"Export groups with their members and link only persons exported for that establishment; declare each {UAI, group code} pair once in the export.",
		Text{FR: "Corriger dans l'export les rattachements des élèves et des personnels à leurs classes et groupes.", EN: "Fix in the export how pupils and staff are attached to their classes and groups."},
		"fixtures/gar/bad-group-link", "fixtures/gar/bad-group-conflict"))
	GAR009 = new(garRule("GAR-009", result.Majeur, garObserved,
		"Cohérence divisions / groupes", "Divisions / groups consistency",
		"GARGroupeStatut vaut DIVISION ou GROUPE ; un GROUPE nomme dans GARGroupeDivAppartenance des DIVISIONS existantes du même UAI ; une DIVISION n'en a pas ; GAREnsClasseMatiere vise une DIVISION et GAREnsGroupeMatiere un GROUPE ; un groupe déclaré plusieurs fois l'est chaque fois avec le même statut et les mêmes divisions d'appartenance (sinon ses rattachements dépendent de la déclaration retenue).",
		"GARGroupeStatut is DIVISION or GROUPE; a GROUPE names existing DIVISIONs of the same UAI in GARGroupeDivAppartenance; a DIVISION has none; GAREnsClasseMatiere targets a DIVISION and GAREnsGroupeMatiere a GROUPE; a group declared more than once has the same status and parent divisions each time (otherwise its links depend on which declaration is kept).",
		"Corriger le statut des groupes et leurs divisions d'appartenance dans l'export ; ne déclarer chaque groupe qu'une fois.",
		"Fix group statuses and parent divisions in the export; declare each group once.",
		Text{FR: "Corriger dans l'export la description des classes et des groupes.", EN: "Fix the description of classes and groups in the export."},
		"fixtures/gar/bad-division", "fixtures/gar/bad-group-conflict"))
	GAR010 = new(garRule("GAR-010", result.Majeur, garObserved,
		"Matières et MEF déclarés pour leur UAI", "Subjects and MEF declared for their UAI",
		"GARPersonMEF, GAREleveEnseignement et les matières des enseignants doivent citer un MEF ou une matière déclaré(e) (GARMEF, GARMatiere) pour le même UAI, et une personne rattachée à cet UAI.",
		"GARPersonMEF, GAREleveEnseignement and teachers' subjects must cite a MEF or subject declared (GARMEF, GARMatiere) for the same UAI, and a person attached to that UAI.",
		"Exporter les GARMEF et GARMatiere de chaque établissement à partir des nomenclatures de l'AAF.",
		"Export each establishment's GARMEF and GARMatiere from the AAF nomenclatures.",
		Text{FR: "Déclarer dans l'export les matières et les formations (MEF) de chaque établissement.", EN: "Declare in the export each establishment's subjects and courses (MEF)."},
		"fixtures/gar/bad-matiere"))
	GAR011 = new(garRule("GAR-011", result.Majeur, garObserved,
		"Format des UAI (7 chiffres + lettre clé)", "UAI format (7 digits + check letter)",
		"Le XSD ne borne que la longueur ; un UAI est formé de 7 chiffres et d'une lettre clé égale à ABCDEFGHJKLMNPRSTUVWXYZ[nombre mod 23]. Un UAI faux ne correspond à aucun établissement abonné.",
		"The XSD only bounds the length; a UAI is 7 digits and a check letter equal to ABCDEFGHJKLMNPRSTUVWXYZ[number mod 23]. A wrong UAI matches no subscribed establishment.",
		"Reprendre l'UAI de l'AAF (ENTStructureUAI) sans le transformer.",
		"Take the UAI from the AAF (ENTStructureUAI) without changing it.",
		Text{FR: "Reprendre tel quel l'identifiant officiel (UAI) de chaque établissement donné par l'annuaire académique.", EN: "Use each establishment's official identifier (UAI) as the academic directory gives it."},
		"fixtures/gar/bad-uai-format"))
	GAR012 = new(garRule("GAR-012", result.Majeur, garObserved,
		"Profils GAR reconnus", "Recognised GAR profiles",
		"Les profils attendus sont National_elv, National_ens, National_doc, National_dir, National_evs, National_eta, National_col ; les exportateurs diffèrent par la casse (avertissement). Un profil inconnu prive l'utilisateur de ressources.",
		"Expected profiles are National_elv, National_ens, National_doc, National_dir, National_evs, National_eta, National_col; exporters differ in case (warning). An unknown profile deprives the user of resources.",
		"Dériver le profil des codes fonction de l'AAF selon la table déclarée dans la correspondance et l'écrire avec cette casse.",
		"Derive the profile from the AAF function codes per the table declared in the mapping and write it with this case.",
		Text{FR: "Donner à chaque personne l'un des profils que le GAR reconnaît (élève, enseignant, documentaliste…).", EN: "Give each person one of the profiles the GAR recognises (pupil, teacher, librarian…)."},
		"fixtures/gar/bad-profile"))
	GAR013 = new(garRule("GAR-013", result.Mineur, garXSDBoth,
		"Civilité « M. » ou « Mme »", "Title \"M.\" or \"Mme\"",
		"La documentation du XSD fixe GARPersonCivilite à « M. » ou « Mme » (le type ne l'impose pas) ; « Mlle » ou d'autres valeurs de l'AAF doivent être traduites.",
		"The XSD documentation sets GARPersonCivilite to \"M.\" or \"Mme\" (the type does not enforce it); \"Mlle\" or other AAF values must be translated.",
		"Traduire personalTitle : M. → M., Mme et Mlle → Mme ; sinon omettre l'élément (facultatif).",
		"Translate personalTitle: M. → M., Mme and Mlle → Mme; otherwise omit the (optional) element.",
		Text{FR: "N'écrire la civilité que sous la forme « M. » ou « Mme », ou ne pas la transmettre.", EN: "Write the title only as « M. » or « Mme », or leave it out."},
		"fixtures/gar/bad-civilite"))
	GAR014 = new(garRule("GAR-014", result.Mineur, garObserved,
		"Dates de naissance vraisemblables", "Plausible birth dates",
		"La date de naissance sert à dédoublonner les comptes ; une date invraisemblable pour le profil (élève de 2 à 30 ans, personnel — GAREnseignant, apprentis compris — de 16 à 80 ans) trahit une conversion dd/MM/yyyy → xs:date erronée.",
		"The birth date is used to de-duplicate accounts; a date implausible for the profile (pupil 2 to 30, staff — GAREnseignant, apprentices included — 16 to 80) betrays a wrong dd/MM/yyyy → xs:date conversion.",
		"Vérifier la conversion de ENTPersonDateNaissance (jj/mm/aaaa) en aaaa-mm-jj.",
		"Check the conversion of ENTPersonDateNaissance (dd/MM/yyyy) to yyyy-MM-dd.",
		Text{FR: "Vérifier la conversion des dates de naissance dans l'export.", EN: "Check how birth dates are converted in the export."},
		"fixtures/gar/bad-birthdate"))
	GAR015 = new(garRule("GAR-015", result.Bloquant, Reference{Basis: BasisObserved, Document: "RGPD art. 5.1.c (minimisation) appliqué au flux GAR ; GAR XSD 1D v1.4 (pas de courriel enseignant)"},
		"Minimisation des données envoyées au GAR", "Minimisation of data sent to the GAR",
		"N'envoyer au GAR que ce dont il a besoin : aucune adresse électronique ni téléphone d'élève, pas de courriel enseignant en 1D v1.4, et un GARPersonIdentifiant opaque (ni INE ni adresse électronique).",
		"Send the GAR only what it needs: no pupil e-mail or phone, no teacher e-mail in 1D v1.4, and an opaque GARPersonIdentifiant (neither INE nor e-mail address).",
		"Retirer ces données de l'export et générer un identifiant interne opaque.",
		"Remove these data from the export and generate an opaque internal identifier.",
		Text{FR: "Ne plus envoyer au GAR de données personnelles dont il n'a pas besoin (adresse électronique, téléphone, identifiant national de l'élève…).", EN: "Stop sending the GAR personal data it does not need (e-mail address, phone number, the pupil's national identifier…)."},
		"fixtures/gar/bad-minimisation"))
	GAR016 = since("2026.11.1", garRule("GAR-016", result.Majeur, garObserved,
		"Export complet : un fichier de chaque type", "Complete export: one file of each kind",
		"Un export complet décrit tout l'annuaire que le GAR doit connaître : établissements (Etab), élèves (Eleve), enseignants et personnels (Enseignant), divisions et groupes (Groupe) et responsables d'affectation (RespAff). Un type absent prive le GAR d'une partie des comptes ou des rattachements (un export sans fichier Eleve ne donne accès à aucune ressource aux élèves), sans que le schéma le signale.",
		"A complete export describes the whole directory the GAR must know: establishments (Etab), pupils (Eleve), teachers and staff (Enseignant), classes and groups (Groupe) and resource assignment managers (RespAff). A missing kind deprives the GAR of part of the accounts or links (an export without an Eleve file gives pupils access to no resource), and the schema cannot tell.",
		"Livrer dans chaque export complet au moins un fichier de chacun des cinq types, même court.",
		"Deliver at least one file of each of the five kinds in every complete export, however short.",
		Text{FR: "Livrer dans chaque export complet un fichier de chacun des cinq types attendus, même court.", EN: "Deliver in every complete export one file of each of the five expected kinds, however short."},
		"fixtures/gar/bad-kinds"))
)

// archiveOnly is for a rule about the archive: loose files have none, so
// only the archive is a good example (on loose files the rule does not
// apply).
func archiveOnly(r Rule) *Rule {
	r.Examples.Good = []string{garGood}
	return &r
}

// extent marks a rule whose message says how much its area examined.
func extent(r Rule) *Rule {
	r.Extent = true
	return &r
}

// since dates a rule added after the first catalogue version.
func since(version string, r Rule) *Rule {
	r.Since = version
	return &r
}

// garRules are the rules of the gar area. Their logic lives in checks/gar.
var garRules = []*Rule{GAR001, GAR002, GAR003, GAR004, GAR005, GAR006, GAR007, GAR008, GAR009, GAR010, GAR011, GAR012, GAR013, GAR014, GAR015, GAR016}

package mapping

// Attribute names a mapping may cite. ENT directory attributes: the
// SDET-style LDAP schema (GIP-RECIA, ESCO* regional additions left out),
// standard LDAP attributes, and the ENT attributes public exporters use
// (ENTPersonUid, 1D attributes). AAF attributes: the AAF export digest
// (2D and 1D kinds).

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// entAttributes are ENT directory (SDET) attribute names.
var entAttributes = set(
	"ENTAuxEnsCategoDiscipline", "ENTAuxEnsClasses", "ENTAuxEnsClassesMatieres",
	"ENTAuxEnsClassesPrincipal", "ENTAuxEnsDisciplinesPoste", "ENTAuxEnsGroupes",
	"ENTAuxEnsGroupesMatieres", "ENTAuxEnsMEF", "ENTAuxEnsMatiereEnseignEtab", "ENTAuxEnsRespStage",
	"ENTAuxEnsTutStage", "ENTAuxNonEnsCollLocDomaineEtab", "ENTAuxNonEnsCollLocDomaineRegroupEtabs",
	"ENTAuxNonEnsCollLocService", "ENTAuxNonEnsEtabService", "ENTAuxNonEnsServAcDomaineEtab",
	"ENTAuxNonEnsServAcDomaineRegroupEtabs", "ENTAuxNonEnsServAcService", "ENTAuxPersExt",
	"ENTAuxPersRelEleveEleve", "ENTAuxPersRelEleveRepresentant", "ENTAuxRespEntrpSociete",
	"ENTAuxTuteurStageEleves", "ENTAuxTuteurStageSociete", "ENTCollLocLieuGeographique",
	"ENTEcoleCirconscription", "ENTEcoleCommune", "ENTEleveAdresseRel", "ENTEleveAutoriteParentale",
	"ENTEleveBoursier", "ENTEleveClasses", "ENTEleveCodeEnseignements", "ENTEleveCycle",
	"ENTEleveDelegAutres", "ENTEleveDelegClasse", "ENTEleveDeptNaissance", "ENTEleveEnsRespStage",
	"ENTEleveEnsTutStage", "ENTEleveEnseignements", "ENTEleveEntrAutres", "ENTEleveEntrTutStage",
	"ENTEleveFiliere", "ENTEleveGroupes", "ENTEleveINE", "ENTEleveLibelleMEF", "ENTEleveMEF",
	"ENTEleveMEFRattach", "ENTEleveMajeur", "ENTEleveMajeurAnticipe", "ENTEleveNivFormation",
	"ENTEleveNivFormationDiplome", "ENTEleveNiveau", "ENTEleveParents", "ENTElevePaysNaissance",
	"ENTElevePersRelEleve", "ENTElevePersRelEleve1", "ENTElevePersRelEleve2",
	"ENTEleveQualitePersRelEleve1", "ENTEleveQualitePersRelEleve2", "ENTEleveRegime",
	"ENTEleveSpecialite", "ENTEleveStatutEleve", "ENTEleveStructRattachId", "ENTEleveTransport",
	"ENTEleveVilleNaissance", "ENTEnsFonctionDir", "ENTEnsSpecialites", "ENTEntrepriseEtabs",
	"ENTEtablissementBassin", "ENTEtablissementContrat", "ENTEtablissementMinistereTutelle",
	"ENTEtablissementStructRattachAdmin", "ENTEtablissementStructRattachFctl", "ENTLibelleMatiere",
	"ENTLibelleMef", "ENTMEFRattach", "ENTMEFSTAT11", "ENTMatJointure", "ENTMefJointure",
	"ENTPersRelFusionPrincipal", "ENTPersRelFusionSecondaire", "ENTPersRelRapprochPrincipal",
	"ENTPersRelRapprochSecondaire", "ENTPersonAdresse", "ENTPersonAdresseDiffusion", "ENTPersonAlias",
	"ENTPersonAutresMails", "ENTPersonAutresMobiles", "ENTPersonAutresPrenoms",
	"ENTPersonCentresInteret", "ENTPersonCivilite", "ENTPersonClasses", "ENTPersonCodePostal",
	"ENTPersonDateNaissance", "ENTPersonFonctions", "ENTPersonGARIdentifiant", "ENTPersonJointure",
	"ENTPersonLogin", "ENTPersonMail", "ENTPersonMailDiffusion", "ENTPersonMobileSMS", "ENTPersonNom",
	"ENTPersonNomPatro", "ENTPersonPays", "ENTPersonPrenom", "ENTPersonProfils", "ENTPersonSexe",
	"ENTPersonStructRattach", "ENTPersonUid", "ENTPersonVille", "ENTProfilPeuplement",
	"ENTRoleAppliProfils", "ENTServAcAcademie", "ENTStructureClasses", "ENTStructureContactENT",
	"ENTStructureEmail", "ENTStructureGroupes", "ENTStructureJointure", "ENTStructureMailSI",
	"ENTStructureNomCourant", "ENTStructureResponsable", "ENTStructureSIREN", "ENTStructureSiteWeb",
	"ENTStructureTypeStruct", "ENTStructureUAI", "PersEducNatPresenceDevantEleves", "cn",
	"displayName", "givenName", "homePhone", "mail", "mobile", "personalTitle", "sn",
	"telephoneNumber", "uid",
)

// aafAttributes are AAF export attribute names.
var aafAttributes = set(
	"ENTAuxEnsCategoDiscipline", "ENTAuxEnsClasses", "ENTAuxEnsClassesMatieres",
	"ENTAuxEnsClassesPrincipal", "ENTAuxEnsDisciplinesPoste", "ENTAuxEnsGroupes",
	"ENTAuxEnsGroupesMatieres", "ENTAuxEnsMEF", "ENTAuxEnsMatiereEnseignEtab",
	"ENTAuxPersRelEleveEleve", "ENTEcoleCirconscription", "ENTEcoleCommune", "ENTEleveBoursier",
	"ENTEleveClasses", "ENTEleveCodeEnseignements", "ENTEleveCycle", "ENTEleveEnseignements",
	"ENTEleveFiliere", "ENTEleveGroupes", "ENTEleveINE", "ENTEleveLibelleMEF", "ENTEleveMEF",
	"ENTEleveNivFormation", "ENTEleveNiveau", "ENTElevePersRelEleve", "ENTEleveRegime",
	"ENTEleveStatutEleve", "ENTEleveStructRattachId", "ENTEleveTransport", "ENTEnsFonctionDir",
	"ENTEnsSpecialites", "ENTEtablissementBassin", "ENTEtablissementContrat",
	"ENTEtablissementMinistereTutelle", "ENTEtablissementStructRattachFctl", "ENTLibelleMatiere",
	"ENTLibelleMef", "ENTMEFRattach", "ENTMEFSTAT11", "ENTMatJointure", "ENTMefJointure",
	"ENTPersonAdresse", "ENTPersonAutresPrenoms", "ENTPersonCivilite", "ENTPersonClasses",
	"ENTPersonCodePostal", "ENTPersonDateNaissance", "ENTPersonFonctions", "ENTPersonJointure",
	"ENTPersonMail", "ENTPersonNom", "ENTPersonNomPatro", "ENTPersonPays", "ENTPersonPrenom",
	"ENTPersonStructRattach", "ENTPersonVille", "ENTServAcAcademie", "ENTStructureClasses",
	"ENTStructureGroupes", "ENTStructureJointure", "ENTStructureNomCourant", "ENTStructureSIREN",
	"ENTStructureTypeStruct", "ENTStructureUAI", "PersEducNatPresenceDevantEleves", "givenName",
	"homePhone", "mail", "mobile", "personalTitle", "sn", "telephoneNumber",
)

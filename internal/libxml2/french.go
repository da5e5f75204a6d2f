package libxml2

// parserGlosses name in French the XML parser errors of libxml2 that a
// spoiled file most often gives, keyed by their code (xmlParserErrors in
// libxml/xmlerror.h). The English message stays the technical detail.
var parserGlosses = map[int]string{
	3:   "début de document invalide",                           // XML_ERR_DOCUMENT_START
	4:   "document vide",                                        // XML_ERR_DOCUMENT_EMPTY
	5:   "contenu en trop après la fin du document",             // XML_ERR_DOCUMENT_END
	8:   "référence de caractère invalide",                      // XML_ERR_INVALID_CHARREF
	9:   "caractère invalide (encodage du fichier incorrect ?)", // XML_ERR_INVALID_CHAR
	26:  "entité non déclarée",                                  // XML_ERR_UNDECLARED_ENTITY
	31:  "encodage inconnu",                                     // XML_ERR_UNKNOWN_ENCODING
	32:  "encodage non pris en charge",                          // XML_ERR_UNSUPPORTED_ENCODING
	34:  "chaîne non fermée",                                    // XML_ERR_STRING_NOT_CLOSED
	38:  "caractère « < » dans une valeur d'attribut",           // XML_ERR_LT_IN_ATTRIBUTE
	39:  "valeur d'attribut attendue",                           // XML_ERR_ATTRIBUTE_NOT_STARTED
	41:  "attribut sans valeur",                                 // XML_ERR_ATTRIBUTE_WITHOUT_VALUE
	42:  "attribut en double",                                   // XML_ERR_ATTRIBUTE_REDEFINED
	65:  "espace attendu",                                       // XML_ERR_SPACE_REQUIRED
	68:  "nom attendu",                                          // XML_ERR_NAME_REQUIRED
	73:  "« > » attendu",                                        // XML_ERR_GT_REQUIRED
	74:  "« </ » attendu",                                       // XML_ERR_LTSLASH_REQUIRED
	75:  "« = » attendu",                                        // XML_ERR_EQUAL_REQUIRED
	76:  "balise fermante différente de la balise ouvrante",     // XML_ERR_TAG_NAME_MISMATCH
	77:  "balise non fermée (fichier tronqué ?)",                // XML_ERR_TAG_NOT_FINISHED
	81:  "encodage UTF-8 invalide",                              // XML_ERR_INVALID_ENCODING
	86:  "contenu en trop après l'élément racine",               // XML_ERR_EXTRA_CONTENT
	201: "préfixe d'espace de noms non déclaré",                 // XML_NS_ERR_UNDEFINED_NAMESPACE
}

// ParserGloss names a libxml2 parser error code in French, "" when the
// code has no gloss.
func ParserGloss(code int) string { return parserGlosses[code] }

package rules

// samlRules are the rules of the saml area. Their logic lives in checks/saml.
var samlRules = []Rule{}

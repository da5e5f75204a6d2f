package rules

// accessibilityRules are the rules of the accessibility area.
var accessibilityRules = []*Rule{}

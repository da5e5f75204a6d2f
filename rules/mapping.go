package rules

// mappingRules are the rules of the mapping area. Their logic lives in checks/mapping.
var mappingRules = []Rule{}

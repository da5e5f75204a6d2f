package rules

// garRules are the rules of the gar area. Their logic lives in checks/gar.
var garRules = []Rule{}

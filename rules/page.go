package rules

// pageRules are the rules of the page area. Their logic lives in checks/page.
var pageRules = []Rule{}

package rules

// noticeRules are the rules of the notice area. Their logic lives in checks/notice.
var noticeRules = []Rule{}

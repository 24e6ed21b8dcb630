package i18n

// casesMessages: case files (办件), the one-time notice, time limits.
var casesMessages = map[string][2]string{
	"role_handler": {"部门承办人", "Department handler"},

	"case_not_found":            {"未找到该办件", "No such case"},
	"notice_not_found":          {"未找到该告知书，请核对告知书上的编码", "No notice has this code; please check the code on the notice"},
	"case_unknown_step":         {"没有「%s」这一步骤", "There is no step %q"},
	"case_illegal_step":         {"办件处于「%[2]s」状态，不能执行「%[1]s」", "A case in state %[2]q cannot take the step %[1]q"},
	"case_bad_text":             {"%s 过长或含有无效字符（最多 %d 字）", "%s is too long or not valid text (at most %d characters)"},
	"case_needs":                {"请填写 %s", "Please give %s"},
	"case_of_other_hall":        {"这是其他大厅的办件", "This case belongs to another hall"},
	"case_of_other_department":  {"这是其他部门的办件", "This case is with another department"},
	"case_bad_material":         {"材料序号 %d 不在该事项的材料清单中", "Material %d is not on the service's checklist"},
	"case_bad_status":           {"材料状态「%s」无效（应为 ok、missing、faulty 或 na）", "Material status %q is not valid (ok, missing, faulty or na)"},
	"case_checklist_incomplete": {"请逐项核对全部 %d 项材料", "Please check all %d materials"},
	"case_materials_short":      {"材料「%s」缺失或有误，不能直接受理：请出具一次性告知书或容缺受理", "%s is missing or faulty: issue the one-time notice or accept with a commitment"},
	"case_lack_dishonest":       {"申请人被列入失信名单，不适用容缺受理", "The applicant is on the dishonesty list: no acceptance with an item outstanding"},
	"case_bad_date":             {"日期「%s」无效（格式 YYYY-MM-DD）", "Date %q is not valid (YYYY-MM-DD)"},
	"case_lack_due":             {"补交期限须在今天之后、承诺时限内（最晚 %s）", "The deadline must be after today and within the promised limit (%s at the latest)"},
	"case_bad_department":       {"部门 %d 不存在或不属于本大厅", "Department %d does not exist in this hall"},
	"case_nothing_pending":      {"没有待补交的容缺材料", "No item is outstanding"},
	"case_bad_reason":           {"中止原因「%s」无效（听证、检验检测或专家评审）", "Suspension reason %q is not valid (hearing, testing, expert)"},
	"case_extended_once":        {"时限只能延长一次", "A time limit is extended once only"},
	"case_bad_days":             {"延长天数 %d 无效", "%d days is not a valid extension"},
	"case_pending_open":         {"容缺材料「%s」尚未补交，不能办结", "%s is still outstanding: the case cannot be completed"},
	"case_bad_window":           {"窗口 %d 无效", "Window %d is not valid"},
	"case_notice_once":          {"本办件已出具一次性告知书（%s），不再重复告知", "This case already has its one-time notice (%s)"},
	"case_nothing_missing":      {"材料齐全，无需出具告知书", "Nothing is missing or faulty: no notice is needed"},
	"case_not_waiting":          {"该办件当前状态为「%s」，无需凭告知书取号", "This case is %q: no ticket by notice is needed"},
}

package i18n

// trustMessages: limits, devices and sessions (issue 12).
var trustMessages = map[string][2]string{
	"too_many_tickets":      {"取号过于频繁，请稍后再试或到取号机取号", "Too many tickets from here; try again shortly or use a kiosk"},
	"too_many_streams":      {"服务器当前连接已满，请稍后自动重试", "This server has too many live screens connected; retrying shortly"},
	"cross_origin":          {"拒绝来自其他网站的请求", "Requests from another site are refused"},
	"sessions_end_others":   {"退出其他设备", "Sign out elsewhere"},
	"sessions_others_ended": {"已退出其他设备", "Signed out elsewhere"},
	"pair_title":            {"取号机配对", "Pair this kiosk"},
	"pair_hint":             {"请值班领导为%v的这台取号机生成配对码，并在此输入一次。配对后，本机取号适用取号机的更高限额。", "A supervisor makes a pairing code for this kiosk of %v and types it here once; a paired kiosk has the kiosks' higher ticket limit."},
	"pair_code":             {"配对码（8 位数字）", "Pairing code (8 digits)"},
	"pair_submit":           {"配对", "Pair"},
	"pair_done":             {"配对成功，正在打开取号页…", "Paired; opening the kiosk…"},
	"devices_title":         {"取号机配对", "Kiosk pairing"},
	"devices_new_code":      {"生成配对码", "Make a pairing code"},
	"devices_new_hint":      {"在取号机上打开 %v，输入配对码（10 分钟内有效，只能用一次）。", "On the kiosk, open %v and type the code (good once, for 10 minutes)."},
	"devices_name":          {"取号机名称", "Kiosk name"},
	"devices_name_eg":       {"例如：东门取号机", "e.g. East door kiosk"},
	"devices_make_code":     {"生成", "Make code"},
	"devices_code_until":    {"%v 前有效", "good until %v"},
	"devices_paired":        {"已配对的取号机", "Paired kiosks"},
	"devices_paired_by":     {"%v 于 %v 配对", "paired by %v at %v"},
	"devices_none":          {"尚无已配对的取号机", "No kiosk is paired yet"},
	"pairing_code_unknown":  {"配对码不正确或已过期", "The pairing code is wrong or has expired"},

	"audit_auth.sessions.end-others": {"结束本人其他登录", "Ended own other sessions"},
	"audit_auth.sessions.end":        {"结束该账号的全部登录", "Ended every session of the account"},
	"audit_device.pairing":           {"生成设备配对码", "Made a device pairing code"},
	"audit_device.paired":            {"设备完成配对", "Device paired"},
	"audit_privacy.anonymise":        {"按保存期限匿名化个人信息", "Personal data anonymised after the retention period"},
}

package i18n

// citizenMessages: what citizens read: the kiosk, the display board, the ticket page, ticket states.
var citizenMessages = map[string][2]string{
	// kiosk
	"kiosk_title":          {"请选择办理事项", "Choose your service"},
	"kiosk_priority":       {"绿色通道（优先办理）", "Green channel (priority)"},
	"kiosk_no_priority":    {"普通取号", "Regular ticket"},
	"kiosk_waiting_n":      {"前方等候 %d 人", "%d waiting"},
	"kiosk_your_number":    {"您的号码", "Your number"},
	"kiosk_ahead":          {"前面还有 %d 人", "%d ahead of you"},
	"kiosk_wait":           {"预计等候约 %d 分钟", "Estimated wait about %d min"},
	"kiosk_scan":           {"扫码查看排队进度", "Scan to follow your place in the queue"},
	"kiosk_materials":      {"请提前准备以下材料", "Please have these materials ready"},
	"kiosk_closed":         {"大厅已停止取号", "The hall is not issuing tickets now"},
	"kiosk_original":       {"原件", "original"},
	"kiosk_copy":           {"复印件", "copy"},
	"kiosk_copies":         {"%d 份", "%d copies"},
	"kiosk_kind_consult":   {"咨询类", "Enquiry"},
	"kiosk_kind_handle":    {"办理类", "Application"},
	"kiosk_kind_complaint": {"投诉类", "Complaint"},
	"kiosk_again":          {"继续取号", "Next ticket"},
	"kiosk_taken_at":       {"取号时间", "Taken at"},
	"kiosk_keep":           {"请妥善保管号票，过号请到窗口重新排队", "Keep this ticket; if you miss your call, ask a window to requeue it"},

	// display
	"display_now":     {"请 %s 号到 %s 办理", "Ticket %s, please go to %s"},
	"display_speech":  {"请 %s 号到 %d 号窗口办理", "Ticket %s, please go to window %d"},
	"display_recent":  {"最近叫号", "Recent calls"},
	"display_paused":  {"暂停服务", "Paused"},
	"display_closed":  {"未开放", "Closed"},
	"display_free":    {"空闲", "Free"},
	"display_sound":   {"点击开启语音播报", "Click to turn on spoken calls"},
	"display_waiting": {"当前等候 %d 人", "%d waiting"},

	// ticket states
	"state_waiting": {"等候中", "Waiting"},
	"state_called":  {"已叫号", "Called"},
	"state_serving": {"办理中", "Being served"},
	"state_done":    {"已办结", "Done"},
	"state_skipped": {"已过号", "Missed"},

	// ticket page
	"ticket_title":     {"我的排队", "My place in the queue"},
	"ticket_position":  {"您前面还有 %d 人", "%d ahead of you"},
	"ticket_wait":      {"预计还需等候约 %d 分钟", "About %d minutes to wait"},
	"ticket_called":    {"请到 %s 办理", "Please go to %s"},
	"ticket_done":      {"业务已办结，感谢您的耐心等候", "Your service is complete. Thank you for waiting"},
	"ticket_skipped":   {"您已过号，请到任一窗口说明后重新排队", "You missed your call; ask any window to requeue you"},
	"ticket_next_soon": {"马上就到您了，请留意叫号", "You are next; please watch the display"},

	"kiosk_priority_hint": {"老年人、孕妇、残疾人等可优先办理，请选择类别后再选事项", "Elderly, pregnant and disabled visitors are served first: choose the class, then the service"},
	"kiosk_priority_on":   {"绿色通道：%s", "Priority: %s"},
	"kiosk_back_in":       {"%d 秒", "%d s"},
	"display_latest":      {"当前叫号", "Now calling"},
	"display_no_calls":    {"暂无叫号，请耐心等候", "No calls yet; please wait"},
	"display_recall":      {"重呼", "Recall"},
	"ticket_live":         {"本页自动更新，无需刷新", "This page updates by itself"},
	"ticket_serving":      {"正在 %s 办理", "Being served at %s"},
	"ticket_taken":        {"取号时间 %s", "Taken at %s"},
}

package i18n

// hallFixMessages: what people met in the hall (issue 7) — the board's marks, the citizen's
// page when no window serves, transfers, the supervisor's new alerts and actions.
var hallFixMessages = map[string][2]string{
	"page_missing": {"您要找的页面不存在，请检查地址，或回到首页", "There is no page at this address; check it, or go back to the home page"},

	// display board
	"display_missed":       {"过号", "Missed"},
	"display_missed_list":  {"过号号码（请到窗口重新排队）", "Missed numbers (ask a window to requeue)"},
	"display_priority":     {"优先", "Priority"},
	"display_paused_until": {"暂停至 %s", "Paused until %s"},
	"display_queue":        {"%s 等候 %d 人", "%s: %d waiting"},
	"display_watch":        {"请留意叫号", "Please watch for your number"},

	// citizen's page
	"ticket_no_window":   {"目前没有窗口办理此业务，暂时无法估计等候时间", "No window serves this matter now, so no wait can be estimated"},
	"ticket_hours":       {"大厅办理时间：%s", "Hall hours: %s"},
	"ticket_transferred": {"您的号票已转至「%s」，请等候叫号", "Your ticket was transferred to “%s”; please wait for your call"},
	"ticket_materials":   {"请备好以下材料", "Please have these ready"},
	"ticket_vibrate":     {"轻触此处，叫到您时手机震动提醒", "Tap here to have your phone vibrate when you are called"},
	"ticket_vibrate_on":  {"已开启震动提醒", "Vibration on"},

	// supervisor
	"super_called_long":   {"%s：%s 已叫号 %d 分钟仍未开始办理", "%s: %s called %d minutes ago and not yet started"},
	"super_close":         {"关闭窗口", "Close window"},
	"super_close_confirm": {"确定关闭 %s？（该窗口的工作人员已离开时使用）", "Close %s? (for a window whose clerk has left)"},
	"super_note":          {"说明：%s", "Note: %s"},

	// the day's figures
	"super_today":       {"今日办理", "Today"},
	"super_served":      {"已办结", "Served"},
	"super_no_shows":    {"过号", "No-shows"},
	"super_mean_wait":   {"平均等候", "Mean wait"},
	"super_mean_handle": {"平均办理", "Mean handling"},
	"counter_today":     {"今日已办结 %d 件 · 平均办理 %d 分钟", "Today: %d served · %d min on average"},

	"counter_materials": {"所需材料：%s", "Materials: %s"},

	// audit targets ("window:1号综合窗口" reads "窗口 1号综合窗口")
	"audit_kind_window":  {"窗口", "Window"},
	"audit_kind_ticket":  {"号票", "Ticket"},
	"audit_kind_staff":   {"人员", "Staff"},
	"audit_kind_service": {"事项", "Service"},
}

package web

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// view is one page: its template (parsed with the layout), its script and the messages that
// script reads. Each page hands its script only those messages; a key ending in "*" is an
// enumerated family ("reason_*" for every pause reason). TestMessageKeys checks these lists
// against what the scripts really read.
type view struct {
	file   string   // below templates/
	script string   // below static/; none when empty
	keys   []string // besides commonKeys
	addons []addon  // partials of other areas, each with its own script and messages
}

// addon is a partial another area adds to a view (the case panel on the counter): its
// template (parsed with the view), its script (loaded after the view's) and the messages that
// script reads.
type addon struct {
	part, script string
	keys         []string
}

// layout is parsed with every view: the page frame and its partials.
var layout = []string{"layout/base.html", "layout/topbar.html", "layout/langs.html",
	"feedback/links.html"} // the ratings includes of the ticket page and the counter

// commonKeys are the messages common/qhall.js reads, on every page.
var commonKeys = []string{"offline", "speech_suggest"}

// views is every page qhall renders, by the name handlers pass to render.
var views = map[string]view{
	"home":  {file: "site/home.html"},
	"error": {file: "site/error.html"},
	"login": {file: "staff/login.html", script: "staff/login.js"},
	"kiosk": {file: "queue/kiosk.html", script: "queue/kiosk.js", keys: []string{
		"kiosk_ahead", "kiosk_back_in", "kiosk_copies", "kiosk_copy", "kiosk_original", "kiosk_priority", "kiosk_priority_on",
		"kiosk_wait", "kiosk_waiting_n", "ticket_next_soon",
		// issue 7 (hall fixes)
		"ticket_no_window"}, addons: []addon{kioskNotice}},
	"display": {file: "queue/display.html", script: "queue/display.js", keys: []string{
		"display_closed", "display_free", "display_no_calls", "display_now", "display_paused", "display_recall", "display_speech",
		"display_waiting",
		// issue 7 (hall fixes)
		"display_missed", "display_missed_list", "display_paused_until", "display_priority", "display_queue", "display_watch"}},
	"ticket": {file: "queue/ticket.html", script: "queue/ticket.js", keys: []string{
		"state_*", "ticket_called", "ticket_done", "ticket_next_soon", "ticket_position", "ticket_serving", "ticket_skipped",
		"ticket_taken", "ticket_wait",
		// issue 7 (hall fixes)
		"ticket_no_window", "ticket_transferred", "ticket_vibrate_on"}, addons: []addon{ticketCase}},
	"counter_list": {file: "queue/counter_list.html"},
	"counter": {file: "queue/counter.html", script: "queue/counter.js", keys: []string{
		"counter_approved_n", "counter_called_at", "counter_clerk", "counter_nobody", "counter_nobody_now", "counter_paused_ok",
		"counter_paused_until", "counter_pending_n", "counter_pending_ok", "counter_priority", "counter_recalls", "counter_reentered",
		"counter_materials", "counter_state_*", "counter_today", "counter_taken_at", "counter_transfer_ok", "counter_transferred", "counter_transfers", "counter_waited",
		"minutes_n", "reason_*", "state_*", "transfer_needs_target",
		"speech_missing_none", "speech_missing_tell", "speech_phrases_none", "speech_transcript_for", "speech_transcript_saved"},
		addons: []addon{casePanel}},
	"supervisor": {file: "queue/supervisor.html", script: "queue/supervisor.js", keys: []string{
		"audit_*", "counter_state_*", "minutes_n", "reason_*", "state_*",
		"super_alert_q", "super_alert_short", "super_approve", "super_idle", "super_idle_short", "super_long_short", "super_long_wait",
		"super_no_alerts", "super_no_pending", "super_no_window", "super_overrun", "super_pause_overdue", "super_peak",
		"super_pending_line", "super_pending_short", "super_reject", "super_until",
		// issue 7 (hall fixes)
		"audit_kind_service", "audit_kind_staff", "audit_kind_ticket", "audit_kind_window", "super_called_long", "super_close", "super_close_confirm", "super_note"}},
	"speech_admin": {file: "speech/speech_admin.html", script: "speech/speech_admin.js", keys: []string{
		"speech_builtin", "speech_clean", "speech_delete", "speech_delete_confirm", "speech_deleted", "speech_edit", "speech_export",
		"speech_hits_n", "speech_no_match", "speech_rule_id", "speech_saved", "speech_sev_*", "speech_severity", "speech_suggestion",
		"speech_tod_*", "speech_version", "speech_words_col"}},

	// back office, service guide and finder
	"guide_index": {file: "guide/guide.html"},
	"guide":       {file: "guide/guide.html"},
	"finder":      {file: "guide/guide.html"},
	"admin_hub":   {file: "admin/admin.html"},
	"admin":       {file: "admin/admin.html", script: "admin/admin.js", keys: adminKeys},

	// appointments (预约)
	"book":       {file: "appointments/book.html", script: "appointments/appointments.js", keys: apptKeys},
	"booking":    {file: "appointments/booking.html", script: "appointments/appointments.js", keys: apptKeys},
	"appt_staff": {file: "appointments/staff.html"},

	// ratings and complaints (internal/feedback)
	"fb_pad":       {file: "feedback/pad.html", script: "ratings/rate.js", keys: []string{"fb_callback", "fb_callback_hint", "fb_comment_hint", "fb_followup", "fb_followup_done", "fb_level_*", "fb_rate_ask", "fb_rate_for", "fb_rate_late", "fb_rate_not_yet", "fb_rate_until", "fb_reasons", "fb_rect_follow", "fb_rect_opened", "fb_submit", "fb_tag_*", "fb_thanks"}},
	"fb_rate":      {file: "feedback/rate.html", script: "ratings/rate.js", keys: []string{"fb_callback", "fb_callback_hint", "fb_comment_hint", "fb_followup", "fb_followup_done", "fb_level_*", "fb_rate_ask", "fb_rate_for", "fb_rate_late", "fb_rate_not_yet", "fb_rate_until", "fb_reasons", "fb_rect_follow", "fb_rect_opened", "fb_submit", "fb_tag_*", "fb_thanks"}},
	"fb_complain":  {file: "feedback/complain.html", script: "ratings/complain.js", keys: []string{"fb_channel_*", "fb_complain_code", "fb_complain_done", "fb_complain_follow", "fb_complain_keep", "fb_complain_text", "fb_contact", "fb_cstate_*", "fb_due", "fb_history", "fb_opinion_ask", "fb_opinion_note", "fb_received", "fb_reopen_last", "fb_result", "fb_satisfied", "fb_topic", "fb_topic_*", "fb_unsatisfied"}},
	"fb_complaint": {file: "feedback/complaint.html", script: "ratings/complain.js", keys: []string{"fb_channel_*", "fb_complain_code", "fb_complain_done", "fb_complain_follow", "fb_complain_keep", "fb_complain_text", "fb_contact", "fb_cstate_*", "fb_due", "fb_history", "fb_opinion_ask", "fb_opinion_note", "fb_received", "fb_reopen_last", "fb_result", "fb_satisfied", "fb_topic", "fb_topic_*", "fb_unsatisfied"}},
	"fb_rect":      {file: "feedback/rect.html"},
	"fb_work":      {file: "feedback/work.html", script: "ratings/worklist.js", keys: []string{"fb_act_*", "fb_action", "fb_apologised", "fb_appeal", "fb_callback_outcome", "fb_callback_response", "fb_cause", "fb_channel", "fb_channel_*", "fb_class", "fb_class_*", "fb_clerk", "fb_code", "fb_comment", "fb_complain_text", "fb_contact", "fb_contact_due", "fb_contact_note", "fb_cstate_*", "fb_dec_rejected", "fb_dec_upheld", "fb_decision", "fb_department", "fb_due", "fb_escalated", "fb_explain", "fb_fix", "fb_fix_by", "fb_flags", "fb_history", "fb_improvement", "fb_learn_hint", "fb_level", "fb_level_*", "fb_listened", "fb_named", "fb_none", "fb_note", "fb_op_*", "fb_opinion", "fb_overdue", "fb_pad_code_is", "fb_pad_help", "fb_pad_make", "fb_pick", "fb_prio_1", "fb_prio_2", "fb_prio_3", "fb_priority", "fb_reasons", "fb_received", "fb_resp_*", "fb_result", "fb_rstate_*", "fb_save", "fb_service", "fb_sign_due", "fb_source", "fb_source_*", "fb_state", "fb_survey_days", "fb_survey_draw", "fb_survey_help", "fb_survey_n", "fb_tab_pad", "fb_tag_*", "fb_ticket", "fb_topic", "fb_topic_*", "fb_unreachable", "fb_upheld", "fb_verdict", "fb_verdict_*", "fb_window"}},
	"fb_figures":   {file: "feedback/figures.html", script: "ratings/figures.js", keys: []string{"fb_appeals", "fb_bad", "fb_by_*", "fb_callback_rate", "fb_callback_target", "fb_class", "fb_class_*", "fb_closed", "fb_contact_rate", "fb_days", "fb_dec_rejected", "fb_dec_upheld", "fb_level_*", "fb_mean_close", "fb_opened", "fb_ranking", "fb_rated", "fb_rating_rate", "fb_rectify_rate", "fb_sat35", "fb_sat45", "fb_served", "fb_survey_done", "fb_tab_complaint", "fb_tab_rect", "fb_tab_survey", "fb_topic", "fb_topic_*", "fb_total", "fb_unreachable", "fb_upheld"}},

	// Case files (办件): the printable one-time notice and the work list.
	"notice": {file: "cases/notice.html", script: "cases/notice.js"},
	"case_list": {file: "cases/case_list.html", script: "cases/case_list.js", keys: []string{
		"case_f_*", "case_level_*", "case_node_*", "case_pending", "case_reason_*", "case_state_*", "case_step_*", "caselist_bring_by",
		"caselist_sum"}},

	// trust (issue 12)
	"kiosk_pair": {file: "trust/kiosk_pair.html", script: "trust/kiosk_pair.js", keys: []string{"pair_done"}},
	"devices":    {file: "trust/devices.html", script: "trust/devices.js", keys: []string{"devices_code_until"}},
}

// apptKeys are the messages the appointments' script reads on both its pages.
var apptKeys = []string{"appt_cancel_confirm", "appt_closed", "appt_full", "appt_left_n", "appt_no_slots", "appt_pick_first"}

// pageTemplates are the views, parsed once at start. As in Miniflux's template engine, a view
// that names a missing file, a template file that no view declares, or a view's script that is
// not there stops the program at start instead of failing the first request.
var pageTemplates = func() map[string]*template.Template {
	t, err := loadViews(templateFS, staticFS, views)
	if err != nil {
		panic(err)
	}
	return t
}()

// loadViews parses every view of tfs (below templates/) and checks the declarations against
// the files of tfs and sfs (below static/).
func loadViews(tfs, sfs fs.FS, views map[string]view) (map[string]*template.Template, error) {
	var errs []error
	declared := map[string]bool{}
	for _, f := range layout {
		declared[f] = true
	}
	out := make(map[string]*template.Template, len(views))
	for _, name := range slices.Sorted(maps.Keys(views)) {
		v := views[name]
		declared[v.file] = true
		parts := []string{v.file}
		scripts := []string{v.script}
		for _, a := range v.addons {
			declared[a.part] = true
			parts, scripts = append(parts, a.part), append(scripts, a.script)
		}
		for _, sc := range scripts {
			if sc == "" {
				continue
			}
			if _, err := fs.Stat(sfs, "static/"+sc); err != nil {
				errs = append(errs, fmt.Errorf("view %s: script %s: %w", name, sc, err))
			}
		}
		files := make([]string, 0, len(layout)+len(parts))
		for _, f := range append(slices.Clone(layout), parts...) {
			files = append(files, "templates/"+f)
		}
		t, err := template.New(name).Funcs(template.FuncMap{"static": staticURL}).ParseFS(tfs, files...)
		if err != nil {
			errs = append(errs, fmt.Errorf("view %s: %w", name, err))
			continue
		}
		out[name] = t
	}
	err := fs.WalkDir(tfs, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if f := strings.TrimPrefix(p, "templates/"); path.Ext(f) == ".html" && !declared[f] {
			errs = append(errs, fmt.Errorf("template %s: no view declares it", f))
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("web: views: %w", errors.Join(errs...))
	}
	return out, nil
}

// adminKeys are the messages admin/admin.js reads, on every back-office section.
var adminKeys = []string{"admin_active", "admin_add_material", "admin_all_halls", "admin_c_closed", "admin_c_follow", "admin_c_holiday", "admin_c_makeup", "admin_c_mode", "admin_c_note", "admin_c_open", "admin_c_own", "admin_c_rest", "admin_c_unpublished", "admin_c_work", "admin_disable", "admin_disable_confirm", "admin_disabled", "admin_down", "admin_edit", "admin_enable", "admin_f_add", "admin_f_answer", "admin_f_leads", "admin_f_question", "admin_f_to_question", "admin_f_to_service", "admin_f_try", "admin_h_address_en", "admin_h_always", "admin_h_close", "admin_h_hours_note", "admin_h_long", "admin_h_number", "admin_h_open", "admin_h_pause", "admin_h_peak", "admin_h_recalls", "admin_h_streak", "admin_h_target", "admin_h_tz", "admin_h_weekdays", "admin_h_weekdays_hint", "admin_hall", "admin_m_form", "admin_m_issuer", "admin_m_name", "admin_m_when", "admin_name", "admin_name_en", "admin_new_hall", "admin_new_priority", "admin_new_service", "admin_new_staff", "admin_new_window", "admin_no_materials", "admin_p_code", "admin_p_code_hint", "admin_remove", "admin_restore", "admin_restored", "admin_retire", "admin_retire_confirm", "admin_retired", "admin_retired_ok", "admin_s_alert", "admin_s_cap", "admin_s_category", "admin_s_issue_end", "admin_s_issue_start", "admin_s_keywords", "admin_s_keywords_hint", "admin_s_kind", "admin_s_limit", "admin_s_limit_hint", "admin_s_no_window", "admin_s_no_window_hint", "admin_s_prefix", "admin_s_prefix_hint", "admin_s_std", "admin_save", "admin_saved", "admin_st_locked", "admin_st_pw_hint", "admin_st_reset", "admin_st_role", "admin_state", "admin_up", "admin_view_guide", "admin_w_add", "admin_w_closed", "admin_w_number", "admin_w_open", "finder_first_question", "guide_address", "guide_basis", "guide_copies", "guide_fees", "guide_hours", "guide_materials", "guide_phone", "guide_place", "guide_what", "guide_who", "kiosk_copy", "kiosk_original", "password", "username"}

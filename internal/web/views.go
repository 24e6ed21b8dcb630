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
}

// layout is parsed with every view: the page frame and its partials.
var layout = []string{"layout/base.html", "layout/topbar.html", "layout/langs.html"}

// commonKeys are the messages common/qhall.js reads, on every page.
var commonKeys = []string{"offline", "speech_suggest"}

// views is every page qhall renders, by the name handlers pass to render.
var views = map[string]view{
	"home":  {file: "site/home.html"},
	"error": {file: "site/error.html"},
	"login": {file: "staff/login.html", script: "staff/login.js"},
	"kiosk": {file: "queue/kiosk.html", script: "queue/kiosk.js", keys: []string{
		"kiosk_ahead", "kiosk_back_in", "kiosk_copies", "kiosk_copy", "kiosk_original", "kiosk_priority", "kiosk_priority_on",
		"kiosk_wait", "kiosk_waiting_n", "ticket_next_soon"}},
	"display": {file: "queue/display.html", script: "queue/display.js", keys: []string{
		"display_closed", "display_free", "display_no_calls", "display_now", "display_paused", "display_recall", "display_speech",
		"display_waiting"}},
	"ticket": {file: "queue/ticket.html", script: "queue/ticket.js", keys: []string{
		"state_*", "ticket_called", "ticket_done", "ticket_next_soon", "ticket_position", "ticket_serving", "ticket_skipped",
		"ticket_taken", "ticket_wait"}},
	"counter_list": {file: "queue/counter_list.html"},
	"counter": {file: "queue/counter.html", script: "queue/counter.js", keys: []string{
		"counter_approved_n", "counter_called_at", "counter_clerk", "counter_nobody", "counter_nobody_now", "counter_paused_ok",
		"counter_paused_until", "counter_pending_n", "counter_pending_ok", "counter_priority", "counter_recalls", "counter_reentered",
		"counter_state_*", "counter_taken_at", "counter_transfer_ok", "counter_transferred", "counter_transfers", "counter_waited",
		"minutes_n", "reason_*", "state_*", "transfer_needs_target",
		"speech_missing_none", "speech_missing_tell", "speech_phrases_none", "speech_transcript_for", "speech_transcript_saved"}},
	"supervisor": {file: "queue/supervisor.html", script: "queue/supervisor.js", keys: []string{
		"audit_*", "counter_state_*", "minutes_n", "reason_*", "state_*",
		"super_alert_q", "super_alert_short", "super_approve", "super_idle", "super_idle_short", "super_long_short", "super_long_wait",
		"super_no_alerts", "super_no_pending", "super_no_window", "super_overrun", "super_pause_overdue", "super_peak",
		"super_pending_line", "super_pending_short", "super_reject", "super_until"}},
	"speech_admin": {file: "speech/speech_admin.html", script: "speech/speech_admin.js", keys: []string{
		"speech_builtin", "speech_clean", "speech_delete", "speech_delete_confirm", "speech_deleted", "speech_edit", "speech_export",
		"speech_hits_n", "speech_no_match", "speech_rule_id", "speech_saved", "speech_sev_*", "speech_severity", "speech_suggestion",
		"speech_tod_*", "speech_version", "speech_words_col"}},

	// trust (issue 12)
	"kiosk_pair": {file: "trust/kiosk_pair.html", script: "trust/kiosk_pair.js", keys: []string{"pair_done"}},
	"devices":    {file: "trust/devices.html", script: "trust/devices.js", keys: []string{"devices_code_until"}},
}

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
		if v.script != "" {
			if _, err := fs.Stat(sfs, "static/"+v.script); err != nil {
				errs = append(errs, fmt.Errorf("view %s: script %s: %w", name, v.script, err))
			}
		}
		files := make([]string, 0, len(layout)+1)
		for _, f := range append(slices.Clone(layout), v.file) {
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

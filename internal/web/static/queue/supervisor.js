// Supervisor dashboard (值班领导看板): queues, windows, alerts, pause approvals, audit log; live.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var hall = D.hall;
  var svcName = {}, winName = {};
  (D.services || []).forEach(function (s) { svcName[s.id] = s.name; });
  (D.windows || []).forEach(function (w) { winName[w.id] = w.name; });
  var $ = function (id) { return document.getElementById(id); };
  var msg = $('super-msg');

  function mins(sec) { return Math.floor((sec || 0) / 60); }
  function fmtWait(sec) { return sec ? t('minutes_n', mins(sec)) : '–'; }
  function tag(cls, text) { return el('span', { class: 'tag ' + cls }, text); }
  function showMsg(text) { msg.textContent = text; msg.hidden = false; setTimeout(function () { msg.hidden = true; }, 8000); }

  // Waits tick every second between states: the server sends when each queue's oldest ticket
  // was taken, and the page counts from there on the server's clock (the offset is measured on
  // each state), so a quiet hall never shows frozen minutes.
  var skew = 0, last = null;
  function serverNow() { return Date.now() + skew; }
  function tickWaits(st) {
    var now = serverNow();
    var longest = 0;
    (st.services || []).forEach(function (s) {
      s.longest_wait_seconds = q.zero(s.oldest_taken_at) ? 0 : Math.max(0, Math.floor((now - Date.parse(s.oldest_taken_at)) / 1000));
      longest = Math.max(longest, s.longest_wait_seconds);
    });
    st.longest_wait_seconds = longest;
    st.now = now;
  }

  function alertsOf(st) {
    var out = [];
    var longSec = (st.long_wait_minutes || hall.long_wait_minutes || 0) * 60;
    if (st.peak) out.push({ danger: true, text: t('super_peak', st.waiting) });
    (st.services || []).forEach(function (s) {
      var name = svcName[s.id] || s.name;
      if (s.long_wait || (longSec > 0 && s.longest_wait_seconds >= longSec)) out.push({ danger: true, text: t('super_long_wait', name, mins(s.longest_wait_seconds)) });
      if (s.alert) out.push({ text: t('super_alert_q', name, s.waiting) });
    });
    var now = st.now || Date.parse(st.at);
    var calledSec = (st.called_alert_minutes || 0) * 60;
    (st.windows || []).forEach(function (w) {
      if (calledSec > 0 && w.current_state === 'called' && !q.zero(w.current_since)) {
        var sec = (now - Date.parse(w.current_since)) / 1000;
        if (sec >= calledSec) out.push({ danger: true, text: t('super_called_long', winName[w.id] || w.name, w.current, mins(sec)) });
      }
    });
    (st.windows || []).forEach(function (w) {
      var name = winName[w.id] || w.name;
      if (w.state === 'paused' && !q.zero(w.pause_until) && Date.parse(w.pause_until) < now) out.push({ danger: true, text: t('super_pause_overdue', name) });
      if (w.idle) out.push({ text: name + (q.lang === 'en' ? ': ' : '：') + t('super_idle') });
    });
    return out;
  }

  // render draws the state; a tick (every second, no new state) redraws only what time changes:
  // the figures, the alerts and the queues, not the rows holding buttons.
  function render(st, tick) {
    tickWaits(st);
    var now = st.now;
    $('updated').textContent = q.fmt(new Date(now), hall.tz, { second: '2-digit' });
    $('st-waiting').textContent = st.waiting;
    $('st-longest').textContent = fmtWait(st.longest_wait_seconds);
    $('st-longest').parentNode.classList.toggle('hot', hall.long_wait_minutes > 0 && st.longest_wait_seconds >= hall.long_wait_minutes * 60);
    $('st-open').textContent = (st.windows || []).filter(function (w) { return w.state !== 'closed'; }).length + ' / ' + (st.windows || []).length;
    $('st-pending').textContent = st.pending_pauses;
    $('st-pending').parentNode.classList.toggle('hot', st.pending_pauses > 0);

    var al = q.clear($('alerts'));
    var alerts = alertsOf(st);
    alerts.forEach(function (a) { al.appendChild(el('li', { class: a.danger ? 'danger' : '' }, a.text)); });
    if (!alerts.length) al.appendChild(el('li', { class: 'muted' }, t('super_no_alerts')));

    if (!tick) renderRows(st, now);
    var longSec = (st.long_wait_minutes || 0) * 60;
    var qs = q.clear($('queues'));
    (st.services || []).forEach(function (s) {
      var flags = [];
      if (s.alert) flags.push(tag('tag-warn', t('super_alert_short')));
      if (s.long_wait || (longSec > 0 && s.longest_wait_seconds >= longSec)) flags.push(tag('tag-danger', t('super_long_short')));
      if (s.waiting > 0 && s.open_windows === 0) flags.push(tag('tag-danger', t('super_no_window')));
      qs.appendChild(el('tr', { class: flags.length ? 'alert' : '' },
        el('td', null, el('strong', null, s.prefix), ' ', svcName[s.id] || s.name),
        el('td', { class: 'num num-cell' }, s.waiting),
        el('td', { class: 'num', dataset: { service: s.id } }, fmtWait(s.longest_wait_seconds)),
        el('td', { class: 'num' }, s.open_windows),
        el('td', null, flags)));
    });
  }

  function renderRows(st, now) {
    var pp = q.clear($('pending'));
    (st.windows || []).filter(function (w) { return w.pending_reason && !w.pending_approved; }).forEach(function (w) {
      pp.appendChild(el('li', null,
        el('span', { class: 'grow' }, t('super_pending_line', winName[w.id] || w.name, t('reason_' + w.pending_reason), w.pending_minutes),
          w.clerk ? el('span', { class: 'muted' }, ' · ' + w.clerk) : null,
          w.pending_note ? el('span', { class: 'pending-note' }, t('super_note', w.pending_note)) : null),
        el('button', { type: 'button', class: 'btn btn-primary', dataset: { decide: 'approve', window: w.id } }, t('super_approve')),
        el('button', { type: 'button', class: 'btn btn-danger', dataset: { decide: 'reject', window: w.id } }, t('super_reject'))));
    });
    if (!pp.children.length) pp.appendChild(el('li', { class: 'muted' }, t('super_no_pending')));

    var ws = q.clear($('wins'));
    (st.windows || []).forEach(function (w) {
      // One word for an open window with nobody at it, as on the board: 空闲.
      var stateTag = w.state === 'open' && w.current ? tag('tag-open', t('state_' + w.current_state))
        : tag(w.state === 'open' ? 'tag-open' : w.state === 'paused' ? 'tag-paused' : '', t('counter_state_' + w.state));
      var pause = [];
      if (w.state === 'paused') {
        pause.push(t('reason_' + (w.pause_reason || 'other')));
        if (!q.zero(w.pause_until)) pause.push(' ', t('super_until', q.fmt(w.pause_until, hall.tz)));
        if (!q.zero(w.pause_until) && Date.parse(w.pause_until) < now) pause.push(' ', tag('tag-danger', t('super_overrun')));
      }
      if (w.pending_reason) pause.push(tag('tag-warn', t('super_pending_short') + ' · ' + t('reason_' + w.pending_reason) + ' ' + t('minutes_n', w.pending_minutes)));
      var current = w.current ? [el('strong', { class: 'num-cell' }, w.current), ' ', tag(w.current_state === 'serving' ? 'tag-ok' : 'tag-info', t('state_' + w.current_state))] : '–';
      ws.appendChild(el('tr', { class: w.idle ? 'alert' : '' },
        el('td', null, winName[w.id] || w.name),
        el('td', null, stateTag),
        el('td', null, w.clerk || '–'),
        el('td', null, current),
        el('td', null, pause.length ? pause : '–'),
        el('td', null, w.idle ? tag('tag-danger', t('super_idle_short')) : '',
          w.state !== 'closed' && !w.current ? el('button', { type: 'button', class: 'btn btn-quiet btn-small', dataset: { close: w.id, name: winName[w.id] || w.name } }, t('super_close')) : null)));
    });
  }

  // --- audit: re-read at most every two seconds while things happen ---
  var auditTimer = null, auditBusy = false;
  function loadAudit() {
    if (auditBusy) return;
    auditBusy = true;
    q.api('GET', '/audit').then(function (r) {
      var rows = (r.data || []).filter(function (e) { return !e.hall_id || e.hall_id === hall.id; }).slice(0, 40);
      var tb = q.clear($('audit'));
      rows.forEach(function (e) {
        var action = t('audit_' + e.action);
        tb.appendChild(el('tr', null,
          el('td', null, q.fmt(e.at, hall.tz, { second: '2-digit' })),
          el('td', null, e.username || '–'),
          el('td', null, action === 'audit_' + e.action ? e.action : action),
          el('td', null, target(e.target))));
      });
    }).catch(function (e) { showMsg(e.message); }).then(function () { auditBusy = false; });
  }
  // "window:1号综合窗口" reads "窗口 1号综合窗口".
  var kinds = { window: t('audit_kind_window'), ticket: t('audit_kind_ticket'), staff: t('audit_kind_staff'), service: t('audit_kind_service') };
  function target(s) {
    var m = /^([a-z]+):(.*)$/.exec(s || '');
    if (!m || !kinds[m[1]]) return s || '–';
    return kinds[m[1]] + ' ' + m[2];
  }
  function scheduleAudit() { if (!auditTimer) auditTimer = setTimeout(function () { auditTimer = null; loadAudit(); }, 1500); }

  // --- the day's figures: re-read at most every ten seconds while things happen ---
  var todayTimer = null;
  function loadToday() {
    q.api('GET', '/halls/' + hall.id + '/today').then(function (r) {
      var waitingNow = {};
      ((last && last.services) || []).forEach(function (s) { waitingNow[s.id] = s.waiting; });
      var tb = q.clear($('today-svc'));
      (r.data.services || []).forEach(function (f) {
        tb.appendChild(el('tr', null, el('td', null, svcName[f.id] || f.id), el('td', { class: 'num' }, f.served),
          el('td', { class: 'num' }, waitingNow[f.id] || 0), el('td', { class: 'num' }, fmtWait(f.mean_wait_seconds)),
          el('td', { class: 'num' }, fmtWait(f.longest_wait_seconds)), el('td', { class: 'num' }, f.no_shows)));
      });
      var tc = q.clear($('today-clerks'));
      (r.data.clerks || []).forEach(function (c) {
        tc.appendChild(el('tr', null, el('td', null, c.name), el('td', { class: 'num' }, c.served), el('td', { class: 'num' }, fmtWait(c.mean_handle_seconds))));
      });
    }).catch(function (e) { showMsg(e.message); });
  }
  function scheduleToday() { if (!todayTimer) todayTimer = setTimeout(function () { todayTimer = null; loadToday(); }, 10000); }

  document.addEventListener('click', function (ev) {
    var c = ev.target.closest('[data-close]');
    if (c) {
      // A window whose clerk has gone (signed out elsewhere, left the hall) is closed here.
      if (!window.confirm(t('super_close_confirm', c.dataset.name))) return;
      c.disabled = true;
      q.api('POST', '/windows/' + c.dataset.close + '/close').catch(function (e) { showMsg(e.message); c.disabled = false; });
      return;
    }
    var b = ev.target.closest('[data-decide]');
    if (!b) return;
    b.disabled = true;
    q.api('POST', '/windows/' + b.dataset.window + '/pause/' + b.dataset.decide)
      .catch(function (e) { showMsg(e.message); b.disabled = false; });
  });

  q.stream(hall.id, function (st) {
    skew = Date.parse(st.at) - Date.now();
    last = st;
    render(st);
    scheduleAudit();
    scheduleToday();
  });
  loadToday();
  setInterval(function () { if (last) render(last, true); }, 1000);
  loadAudit();
})();

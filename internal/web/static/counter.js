// Counter terminal (窗口终端): one window's current ticket, its queue and its operations.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var win = D.window, hall = D.hall;
  var svcName = {}, winName = {};
  (D.services || []).forEach(function (s) { svcName[s.id] = s.name; });
  (D.windows || []).forEach(function (w) { winName[w.id] = w.name; });

  var msg = document.getElementById('counter-msg');
  var pendingBox = document.getElementById('counter-pending');
  var stateBadge = document.getElementById('win-state');
  var clerkOut = document.getElementById('win-clerk');
  var curEmpty = document.getElementById('current-empty');
  var cur = document.getElementById('current');
  var nextList = document.getElementById('next-list');
  var waitingCount = document.getElementById('waiting-count');
  var buttons = {};
  document.querySelectorAll('[data-op]').forEach(function (b) { buttons[b.dataset.op] = b; });

  var view = null, busy = false, msgTimer = null;

  function showMsg(text, kind) {
    msg.textContent = text;
    msg.className = 'banner ' + (kind === 'ok' ? 'banner-ok' : 'banner-error');
    msg.hidden = false;
    clearTimeout(msgTimer);
    msgTimer = setTimeout(function () { msg.hidden = true; }, kind === 'ok' ? 3000 : 8000);
  }

  function sinceMin(ts) { return q.zero(ts) ? 0 : q.minutes(Date.now() - Date.parse(ts)); }

  function render(v) {
    view = v;
    var w = v.window, c = v.current;
    var pending = !!w.pending_reason;
    var st = w.state;
    stateBadge.className = 'badge state-' + st;
    stateBadge.textContent = st === 'paused' && w.pause_reason
      ? t('counter_paused_until', t('reason_' + w.pause_reason), q.fmt(w.pause_until, hall.tz))
      : t('counter_state_' + st);
    clerkOut.textContent = w.clerk ? t('counter_clerk', w.clerk) : '';
    pendingBox.hidden = !pending;
    if (pending) pendingBox.textContent = t(w.pending_approved ? 'counter_approved_n' : 'counter_pending_n', t('reason_' + w.pending_reason), w.pending_minutes);

    curEmpty.hidden = !!c;
    cur.hidden = !c;
    if (c) {
      cur.classList.toggle('serving', c.state === 'serving');
      document.getElementById('current-number').textContent = c.number;
      document.getElementById('current-service').textContent = svcName[c.service] || c.service_name;
      var tags = q.clear(document.getElementById('current-tags'));
      tags.appendChild(el('span', { class: 'tag ' + (c.state === 'serving' ? 'tag-ok' : 'tag-info') }, t('state_' + c.state)));
      if (c.priority) tags.appendChild(el('span', { class: 'tag tag-prio' }, t('counter_priority')));
      if (c.transfers) tags.appendChild(el('span', { class: 'tag tag-warn' }, t('counter_transfers', c.transfers)));
      if (c.recalls) tags.appendChild(el('span', { class: 'tag tag-warn' }, t('counter_recalls', c.recalls)));
      var facts = q.clear(document.getElementById('current-facts'));
      var waited = q.zero(c.called_at) ? sinceMin(c.taken_at) : q.minutes(Date.parse(c.called_at) - Date.parse(c.taken_at));
      facts.appendChild(el('dt', null, t('counter_taken_at')));
      facts.appendChild(el('dd', null, q.fmt(c.taken_at, hall.tz)));
      facts.appendChild(el('dt', null, t('counter_called_at')));
      facts.appendChild(el('dd', null, q.fmt(c.called_at, hall.tz)));
      facts.appendChild(el('dt', null, t('counter_waited')));
      facts.appendChild(el('dd', null, t('minutes_n', waited)));
    }

    var called = c && c.state === 'called';
    var enabled = {
      open: st === 'closed',
      close: st !== 'closed' && !c,
      call: st === 'open' && !c,
      recall: !!called,
      skip: !!called,
      start: !!called,
      finish: !!c,
      transfer: !!c,
      pause: st === 'open' && !c && !pending,
      resume: st === 'paused' || pending
    };
    Object.keys(buttons).forEach(function (op) { buttons[op].disabled = busy || !enabled[op]; });
    document.querySelector('#reenter-form button').disabled = st === 'closed';

    waitingCount.textContent = v.waiting || '';
    q.clear(nextList);
    (v.next || []).forEach(function (n) {
      var tags = [];
      if (n.priority) tags.push(el('span', { class: 'tag tag-prio' }, t('counter_priority')));
      if (n.transfers) tags.push(el('span', { class: 'tag tag-warn' }, t('counter_transferred')));
      nextList.appendChild(el('li', null,
        el('span', { class: 'n-num' }, n.number),
        el('span', null, svcName[n.service] || n.service_name, ' ', tags),
        el('span', { class: 'n-wait' }, t('minutes_n', sinceMin(n.taken_at)))));
    });
    if (!(v.next || []).length) nextList.appendChild(el('li', { class: 'empty' }, t('counter_nobody')));
  }

  var loading = null, again = false;
  function load() {
    if (loading) { again = true; return loading; }
    loading = q.api('GET', '/windows/' + win.id).then(function (r) { render(r.data); })
      .catch(function (e) { showMsg(e.message); })
      .then(function () { loading = null; if (again) { again = false; load(); } });
    return loading;
  }

  function op(name, body) {
    if (busy) return Promise.resolve();
    busy = true;
    Object.keys(buttons).forEach(function (k) { buttons[k].disabled = true; });
    return q.api('POST', '/windows/' + win.id + '/' + name, body)
      .then(function (r) {
        msg.hidden = true;
        if (name === 'call' && r.status === 204) showMsg(t('counter_nobody_now'), 'ok');
        if (name === 'pause' && r.data) showMsg(r.data.state === 'pending' ? t('counter_pending_ok') : t('counter_paused_ok'), 'ok');
        if (name === 'reenter' && r.data) showMsg(t('counter_reentered', r.data.number), 'ok');
        if (name === 'transfer' && r.data) showMsg(t('counter_transfer_ok', r.data.number), 'ok');
        return r;
      })
      .catch(function (e) { showMsg(e.message); throw e; })
      .finally(function () { busy = false; load(); });
  }

  // --- dialogs ---
  var dlgTransfer = document.getElementById('dlg-transfer');
  var dlgPause = document.getElementById('dlg-pause');
  document.querySelectorAll('dialog [data-close]').forEach(function (b) {
    b.addEventListener('click', function () { b.closest('dialog').close(); });
  });
  document.getElementById('transfer-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = ev.target, err = document.getElementById('transfer-error');
    var body = { service: Number(f.service.value), window: Number(f.window.value) };
    if (!body.service && !body.window) { err.textContent = t('transfer_needs_target'); err.hidden = false; return; }
    err.hidden = true;
    op('transfer', body).then(function () { dlgTransfer.close(); }, function (e) { err.textContent = e.message; err.hidden = false; });
  });
  document.getElementById('pause-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = ev.target, err = document.getElementById('pause-error');
    err.hidden = true;
    op('pause', { reason: f.reason.value, minutes: Number(f.minutes.value), note: f.note.value.trim() })
      .then(function () { dlgPause.close(); f.note.value = ''; }, function (e) { err.textContent = e.message; err.hidden = false; });
  });

  function press(name) {
    var b = buttons[name];
    if (!b || b.disabled) return;
    if (name === 'transfer') {
      document.getElementById('transfer-error').hidden = true;
      // the ticket's own window is no target
      document.querySelectorAll('#tr-window option').forEach(function (o) { o.disabled = Number(o.value) === win.id; });
      dlgTransfer.showModal();
      return;
    }
    if (name === 'pause') { document.getElementById('pause-error').hidden = true; dlgPause.showModal(); return; }
    op(name).catch(function () {});
  }
  Object.keys(buttons).forEach(function (name) {
    buttons[name].addEventListener('click', function () { press(name); });
  });

  document.getElementById('reenter-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var input = document.getElementById('reenter-number');
    var n = input.value.trim().toUpperCase();
    if (!n) return;
    op('reenter', { number: n }).then(function () { input.value = ''; }, function () {});
  });

  // --- keyboard: F1 call, F2 recall, F3 no-show, F4 start, F6 finish, F7 transfer ---
  var keys = { F1: 'call', F2: 'recall', F3: 'skip', F4: 'start', F6: 'finish', F7: 'transfer' };
  document.addEventListener('keydown', function (ev) {
    if (!keys[ev.key] || document.querySelector('dialog[open]')) return;
    ev.preventDefault();
    press(keys[ev.key]);
  });

  // --- live: every change in the hall re-reads this window ---
  var pendingLoad = null;
  q.stream(hall.id, function () {
    clearTimeout(pendingLoad);
    pendingLoad = setTimeout(load, 80);
  });
  // keep the waiting minutes current
  setInterval(function () { if (view) render(view); }, 30000);
  load();
})();

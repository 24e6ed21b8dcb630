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
    document.dispatchEvent(new CustomEvent('qhall:counter', { detail: v })); // the case panel follows the ticket
    var w = v.window, c = v.current;
    var pending = !!w.pending_reason;
    var st = w.state;
    stateBadge.className = 'badge state-' + st;
    stateBadge.textContent = st === 'paused' && w.pause_reason
      ? t('counter_paused_until', t('reason_' + w.pause_reason), q.fmt(w.pause_until, hall.tz))
      : st === 'open' && c ? t('state_' + c.state) : t('counter_state_' + st);
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
      if (c.priority) tags.appendChild(el('span', { class: 'tag tag-prio', dataset: { priority: c.priority } }, (D.priorities || {})[c.priority] || t('counter_priority')));
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
      // The service's materials at once, so the clerk checks them without opening anything.
      var matBox = document.getElementById('current-materials');
      if (matBox.dataset.ticket !== String(c.id)) {
        matBox.dataset.ticket = String(c.id);
        matBox.textContent = '';
        materialsOf(c.service).then(function (ms) {
          if (matBox.dataset.ticket !== String(c.id) || !ms.length) return;
          matBox.textContent = t('counter_materials', ms.map(function (m) { return m.name; }).join('、'));
        });
      }
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
    speech(v);
  }

  // The clerk's own figures of the day, after each ticket finished here.
  function loadMine() {
    q.api('GET', '/halls/' + hall.id + '/today/me').then(function (r) {
      document.getElementById('win-mine').textContent = r.data.served ? t('counter_today', r.data.served, Math.round(r.data.mean_handle_seconds / 60)) : '';
    }).catch(function () { /* the figures are a courtesy; the counter works without them */ });
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
        afterOp(name, r);
        if (name === 'finish') loadMine();
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
  dlgTransfer.addEventListener('close', function () { if (view) speech(view); });
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
      // Only windows that are open (or paused) can take a ticket: a closed one would leave the
      // citizen waiting for nobody.
      var open = {};
      ((hallState && hallState.windows) || []).forEach(function (w) { open[w.id] = w.state !== 'closed'; });
      document.querySelectorAll('#tr-window option').forEach(function (o) {
        if (o.value === '0') return;
        var id = Number(o.value);
        o.disabled = id === win.id || (hallState && !open[id]);
        o.hidden = o.disabled;
      });
      dlgTransfer.showModal();
      showStep('transfer');
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

  // --- service language: the standard phrases for the step the clerk is in, the checklist of
  // missing materials, and the conversation of the ticket served last ---
  var phraseBox = document.getElementById('phrases');
  var stepTag = document.getElementById('ph-step');
  var missingBtn = document.getElementById('missing-btn');
  var missingBox = document.getElementById('missing-box');
  var missingTell = document.getElementById('missing-tell');
  var trForm = document.getElementById('transcript-form');
  var trText = document.getElementById('tr-text');
  var phraseCache = {}, shownStep = null, afterStep = null, missingFor = null, services = null, trTarget = null;
  var lastKey = 'qhall-last-served-' + win.id;
  var lastDone = null;
  try { lastDone = JSON.parse(sessionStorage.getItem(lastKey) || 'null'); } catch (e) { lastDone = null; }

  // afterOp follows the counter through a ticket: the greeting after a call, the farewell after
  // finishing, the redirect phrases after a transfer.
  function afterOp(name, r) {
    if (name === 'call' || name === 'skip') afterStep = null;
    if (name === 'transfer') afterStep = 'transfer';
    if (name === 'finish' && r.data) {
      afterStep = 'finish';
      lastDone = { id: r.data.id, number: r.data.number };
      try { sessionStorage.setItem(lastKey, JSON.stringify(lastDone)); } catch (e) { /* private mode */ }
    }
  }

  function stepFor(v) {
    var c = v.current;
    if (v.window.state === 'paused') return 'pause';
    if (dlgTransfer.open) return 'transfer';
    if (c) {
      if (missingFor === c.id) return 'missing_material';
      return c.state === 'called' ? 'call' : 'serve';
    }
    return v.window.state === 'open' ? afterStep : null;
  }

  function renderPhrases(d) {
    stepTag.textContent = d.step_name;
    stepTag.hidden = false;
    q.clear(phraseBox);
    d.scenarios.forEach(function (sc) {
      phraseBox.appendChild(el('div', { class: 'phrase-sc', dataset: { code: sc.code } },
        el('h3', null, sc.name),
        el('ul', { class: 'phrase-list' }, sc.phrases.map(function (p) { return el('li', null, p); }))));
    });
  }

  // showStep shows the phrases of a step; they are read once per step (again after a few minutes,
  // as greetings follow the time of day).
  function showStep(step) {
    if (!step) {
      shownStep = null;
      stepTag.hidden = true;
      q.clear(phraseBox).appendChild(el('p', { class: 'muted' }, t('speech_phrases_none')));
      return;
    }
    var cached = phraseCache[step];
    if (step === shownStep && cached && Date.now() - cached.at < 300000) return;
    shownStep = step;
    if (cached && Date.now() - cached.at < 300000) { renderPhrases(cached.data); return; }
    q.api('GET', '/speech/phrases?step=' + encodeURIComponent(step) + '&hall=' + hall.id).then(function (r) {
      phraseCache[step] = { at: Date.now(), data: r.data };
      if (shownStep === step) renderPhrases(r.data);
    }).catch(function (e) { shownStep = null; showMsg(e.message); });
  }

  // The materials checklist (一次性告知): tick every missing or faulty item, then tell them all.
  function materialsOf(serviceID) {
    var get = services ? Promise.resolve(services) : q.api('GET', '/halls/' + hall.id + '/services').then(function (r) { services = r.data; return services; });
    return get.then(function (list) {
      var s = list.filter(function (x) { return x.id === serviceID; })[0];
      return (s && s.materials) || [];
    });
  }
  function tellMissing() {
    var names = Array.prototype.map.call(missingBox.querySelectorAll('input:checked'), function (i) { return i.value; });
    missingTell.hidden = !names.length;
    missingTell.textContent = names.length ? t('speech_missing_tell', names.join('、')) : '';
  }
  missingBtn.addEventListener('click', function () {
    var c = view && view.current;
    if (!c) return;
    if (missingFor === c.id) { missingFor = null; speech(view); return; }
    missingFor = c.id;
    var list = q.clear(document.getElementById('missing-list'));
    tellMissing();
    materialsOf(c.service).then(function (ms) {
      if (!ms.length) list.appendChild(el('li', { class: 'muted' }, t('speech_missing_none')));
      ms.forEach(function (m, i) {
        var id = 'mm-' + i;
        list.appendChild(el('li', null, el('input', { type: 'checkbox', id: id, value: m.name, onchange: tellMissing }), ' ',
          el('label', { for: id }, m.name, m.required_when ? el('span', { class: 'muted small' }, '（' + m.required_when + '）') : null)));
      });
    }).catch(function (e) { showMsg(e.message); });
    speech(view);
  });

  // The conversation form is for the ticket being served, or else the last one finished here.
  function speech(v) {
    var c = v.current;
    if (missingFor && (!c || c.id !== missingFor)) missingFor = null;
    missingBtn.disabled = !c;
    missingBox.hidden = !missingFor;
    missingBtn.setAttribute('aria-expanded', String(!!missingFor));
    showStep(stepFor(v));

    var target = c && c.state === 'serving' ? { id: c.id, number: c.number } : lastDone;
    if (!target || !trTarget || target.id !== trTarget.id) trText.value = '';
    trTarget = target;
    trForm.hidden = !target;
    document.getElementById('tr-none').hidden = !!target;
    if (target) document.getElementById('tr-for').textContent = t('speech_transcript_for', target.number);
  }

  trForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (!trTarget) return;
    var sum = document.getElementById('tr-sum'), out = document.getElementById('tr-out');
    var button = trForm.querySelector('button[type=submit]');
    button.disabled = true;
    q.api('POST', '/tickets/' + trTarget.id + '/transcripts', { text: trText.value }).then(function (r) {
      var hits = r.data.hits;
      sum.textContent = t('speech_transcript_saved', hits.length);
      sum.className = 'small ' + (hits.length ? 'sp-dirty' : 'sp-clean');
      q.clear(out).appendChild(q.highlight(r.data.text, hits));
      out.hidden = false;
      q.hitList(document.getElementById('tr-hits'), hits);
      trText.value = '';
    }).catch(function (e) {
      sum.textContent = e.message;
      sum.className = 'small sp-dirty';
    }).then(function () { button.disabled = false; });
  });

  // --- live: every change in the hall re-reads this window ---
  var pendingLoad = null, hallState = null;
  q.stream(hall.id, function (st) {
    hallState = st;
    clearTimeout(pendingLoad);
    pendingLoad = setTimeout(load, 80);
  });
  // keep the waiting minutes current
  setInterval(function () { if (view) render(view); }, 30000);
  load();
  loadMine();
})();

// Case panel (办件) on the counter: open a case for the ticket served, check its materials,
// issue the one-time notice, take the steps its state allows, continue a returning citizen's
// case by the notice's code, and hand the citizen to another window (首问负责).
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el, D = q.data || {};
  var panel = document.getElementById('case-panel');
  if (!panel) return;
  var hall = D.hall || {}, winNames = D.windows || [];
  var box = { none: document.getElementById('case-none'), body: document.getElementById('case-body'),
    msg: document.getElementById('case-msg'), number: document.getElementById('case-number'),
    state: document.getElementById('case-state'), due: document.getElementById('case-due'),
    returns: document.getElementById('case-returns'), check: document.getElementById('case-check'),
    mats: document.getElementById('case-mats'), steps: document.getElementById('case-steps') };
  var dlg = document.getElementById('case-dlg'), dlgForm = document.getElementById('case-dlg-form');
  var dlgFields = document.getElementById('case-dlg-fields'), dlgErr = document.getElementById('case-dlg-err');
  var ticket = null, kase = null, materials = {}, departments = null, dlgSubmit = null;

  q.api('GET', '/halls/' + hall.id + '/services').then(function (r) {
    (r.data || []).forEach(function (s) { materials[s.id] = s.materials || []; });
    if (kase) render(kase);
  }).catch(function () {});

  function say(text, bad) {
    box.msg.textContent = text;
    box.msg.className = 'case-msg ' + (bad ? 'case-msg-bad' : 'case-msg-ok');
    box.msg.hidden = !text;
  }

  // The counter tells its view after every change; a new ticket loads its case.
  document.addEventListener('qhall:counter', function (ev) {
    var c = ev.detail && ev.detail.current;
    panel.hidden = !c;
    if (!c) { ticket = null; kase = null; return; }
    if (ticket && ticket.id === c.id) return;
    ticket = c; kase = null; say('');
    load();
  });

  function load() {
    return q.api('GET', '/cases/by-ticket/' + ticket.id).then(function (r) { render(r.data); }, function (e) { say(e.message, true); });
  }

  function done(p) {
    return p.then(function (r) { say(''); render(r.data); return r; }, function (e) { say(e.message, true); throw e; });
  }

  function render(c) {
    kase = c;
    if (c && c.due === '0000-00-00') c.due = ''; // no promised limit running yet
    box.none.hidden = !!c;
    box.body.hidden = !c;
    box.state.hidden = !c;
    box.due.hidden = !(c && c.due);
    box.number.textContent = c ? c.number : '';
    if (!c) return;
    box.state.textContent = t('case_state_' + c.state);
    box.state.className = 'tag case-state case-state-' + c.state;
    if (c.due) {
      box.due.textContent = t('case_due', c.due);
      box.due.className = 'case-due level-' + c.level;
    }
    box.returns.textContent = [c.service_name, c.returns ? t('case_returns_n', c.returns) : '',
      c.pending_item ? t('case_pending', c.pending_item, c.pending_due) : '', c.department_name ? t('case_at_dept', c.department_name) : '']
      .filter(Boolean).join(' · ');
    renderChecklist(c);
    renderSteps(c);
  }

  function renderChecklist(c) {
    var list = materials[c.service] || [];
    var editable = (c.state === 'consult' || c.state === 'review') && list.length > 0;
    box.check.hidden = !editable;
    var tb = q.clear(box.mats);
    if (!editable) return;
    var found = {};
    (c.materials || []).forEach(function (m) { found[m.position] = m; });
    list.forEach(function (m, i) {
      var f = found[i] || { status: 'ok', note: '' };
      var sel = el('select', { name: 'status', 'aria-label': m.name, dataset: { pos: i } });
      ['ok', 'missing', 'faulty', 'na'].forEach(function (s) {
        sel.appendChild(el('option', { value: s, selected: f.status === s }, t('case_mat_' + s)));
      });
      var what = (m.original ? t('case_original') : t('case_copy')) + (m.copies > 1 ? ' ×' + m.copies : '') + (m.required_when ? ' · ' + m.required_when : '');
      tb.appendChild(el('tr', null, el('td', null, m.name, el('div', { class: 'small muted' }, what)), el('td', null, sel),
        el('td', null, el('input', { name: 'note', maxlength: 200, value: f.note || '', 'aria-label': t('case_note') }))));
    });
  }

  box.check.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var items = [];
    box.mats.querySelectorAll('tr').forEach(function (tr) {
      var s = tr.querySelector('select');
      items.push({ position: +s.dataset.pos, status: s.value, note: tr.querySelector('input').value });
    });
    done(q.api('PUT', '/cases/' + kase.id + '/materials', { items: items })).then(function () { say(t('case_checked'), false); });
  });

  // Steps with what each asks for; the others go straight.
  var forms = {
    accept_lack: [['item', 'text', 'item'], ['due', 'date', 'due']],
    reject: [['rule', 'textarea', 'rule'], ['rights', 'textarea', 'rights']],
    assign: [['department', 'dept', 'department']],
    suspend: [['reason', 'reason', 'reason'], ['note', 'text', 'note']],
    extend: [['days', 'number', 'days'], ['note', 'text', 'approval']],
    complete: [['note', 'text', 'result']],
    deliver: [['window', 'window', 'window']]
  };

  function renderSteps(c) {
    var bar = q.clear(box.steps);
    var short = (c.materials || []).some(function (m) { return m.status === 'missing' || m.status === 'faulty'; });
    if (c.state === 'review' && short && !c.notice) {
      bar.appendChild(el('button', { type: 'button', class: 'btn btn-warn', onclick: issueNotice }, t('case_issue_notice')));
    }
    if (c.notice) {
      bar.appendChild(el('a', { class: 'btn' + (c.state === 'correction' ? ' btn-warn' : ''), href: '/notice/' + encodeURIComponent(c.notice.code), target: '_blank', rel: 'noopener' },
        t('case_print_notice', c.notice.code)));
    }
    (c.allowed || []).forEach(function (s) {
      // the checklist starts the review, the button above issues the notice, the code continues a case
      if (s === 'review' || s === 'return' || s === 'notice') return;
      if ((s === 'accept' && short) || (s === 'supplement' && !c.pending_item)) return;
      bar.appendChild(el('button', { type: 'button', class: 'btn' + (s === 'accept' || s === 'complete' || s === 'deliver' ? ' btn-primary' : ''),
        dataset: { step: s }, onclick: function () { step(s); } }, t('case_step_' + s)));
    });
  }

  function issueNotice() {
    done(q.api('POST', '/cases/' + kase.id + '/notice')).then(function (r) {
      // No pop-up (browsers block one opened after a request): the print link takes its place.
      say(t('case_notice_issued', r.data.notice.reference), false);
    });
  }

  function field(f) {
    var id = 'case-f-' + f[0], input;
    if (f[1] === 'textarea') input = el('textarea', { id: id, name: f[0], rows: 3 });
    else if (f[1] === 'dept' || f[1] === 'reason' || f[1] === 'window') {
      input = el('select', { id: id, name: f[0] });
      var opts = f[1] === 'reason' ? ['hearing', 'testing', 'expert'].map(function (r) { return { id: r, name: t('case_reason_' + r) }; })
        : f[1] === 'dept' ? (departments || []) : winNames;
      opts.forEach(function (o) { input.appendChild(el('option', { value: o.id }, o.name)); });
    } else input = el('input', { id: id, name: f[0], type: f[1], maxlength: f[1] === 'text' ? 200 : null, min: f[1] === 'number' ? 1 : null });
    if (f[0] === 'days') input.value = 10;
    return [el('label', { for: id }, t('case_f_' + f[2])), input];
  }

  function ask(title, fields, submit) {
    document.getElementById('case-dlg-h').textContent = title;
    q.clear(dlgFields);
    fields.forEach(function (f) { field(f).forEach(function (n) { dlgFields.appendChild(n); }); });
    dlgErr.hidden = true;
    dlgSubmit = submit;
    dlg.showModal();
  }

  dlgForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var v = {};
    dlgFields.querySelectorAll('[name]').forEach(function (n) { v[n.name] = n.value; });
    dlgSubmit(v).then(function () { dlg.close(); }, function (e) { dlgErr.textContent = e.message; dlgErr.hidden = false; });
  });
  dlg.querySelectorAll('[data-close]').forEach(function (b) { b.addEventListener('click', function () { dlg.close(); }); });

  function step(s) {
    var send = function (v) {
      var body = { step: s };
      Object.keys(v || {}).forEach(function (k) { body[k] = (k === 'department' || k === 'window' || k === 'days') ? +v[k] : v[k]; });
      return done(q.api('POST', '/cases/' + kase.id + '/steps', body));
    };
    if (!forms[s]) { send({}).catch(function () {}); return; }
    var go = function () { ask(t('case_step_' + s), forms[s], send); };
    if (s === 'assign' && !departments) {
      q.api('GET', '/halls/' + hall.id + '/departments').then(function (r) { departments = r.data || []; go(); }, function (e) { say(e.message, true); });
    } else go();
  }

  document.getElementById('case-open').addEventListener('click', function () {
    if (!ticket) return;
    done(q.api('POST', '/cases', { ticket: ticket.id, assisted: document.getElementById('case-assisted').checked })).catch(function () {});
  });

  document.getElementById('case-resume').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var code = document.getElementById('case-code').value;
    done(q.api('POST', '/cases/resume', { code: code, ticket: ticket.id })).then(function (r) {
      document.getElementById('case-code').value = '';
      say(t('case_resumed', r.data.number, r.data.returns), false);
    }).catch(function () {});
  });

  document.getElementById('case-handoff-btn').addEventListener('click', function () {
    ask(t('case_handoff'), [['to_window', 'window', 'window'], ['reason', 'text', 'handoff_reason']], function (v) {
      return q.api('POST', '/handoffs', { ticket: ticket.id, to_window: +v.to_window, reason: v.reason }).then(function () {
        say(t('case_handed_off'), false);
      });
    });
  });
})();

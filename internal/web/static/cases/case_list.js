// Work list of cases (办件): the supervisor's hall or the handler's department, red and yellow
// first, refreshed on every change of the hall and every 10 s (the clocks move with the day).
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el, D = q.data || {};
  var hall = D.hall;
  var rows = document.getElementById('cases-rows'), msg = document.getElementById('cases-msg');
  var fState = document.getElementById('cf-state'), fNode = document.getElementById('cf-node'), fOpen = document.getElementById('cf-open');
  var rank = { red: 0, yellow: 1, green: 2 };
  var can = D.can || {}; // the steps that need more than this page's permission
  // The steps a work list offers; the rest belong to the counter, with the citizen there.
  var listSteps = ['assign', 'suspend', 'resume', 'extend', 'supplement', 'complete'];
  var latest = [];

  function worst(c) {
    var open = (c.clocks || []).filter(function (k) { return !k.stopped; });
    var k = open.length ? open[open.length - 1] : null;
    return k;
  }

  function load() {
    q.api('GET', '/halls/' + hall.id + '/cases' + (fOpen.checked ? '?open=1' : '')).then(function (r) {
      msg.hidden = true;
      latest = r.data || [];
      draw();
    }, function (e) { msg.textContent = e.message; msg.hidden = false; });
  }

  function draw() {
    var list = latest.filter(function (c) {
      var k = worst(c);
      return (!fState.value || c.state === fState.value) && (!fNode.value || (k && k.node === fNode.value));
    });
    list.sort(function (a, b) { return (rank[a.level] - rank[b.level]) || (b.id - a.id); });
    var n = { red: 0, yellow: 0 };
    latest.forEach(function (c) { if (n[c.level] !== undefined) n[c.level]++; });
    document.getElementById('cases-sum').textContent = t('caselist_sum', n.red, n.yellow, latest.length);
    q.clear(rows);
    document.getElementById('cases-empty').hidden = list.length > 0;
    list.forEach(function (c) {
      var k = worst(c);
      var acts = el('div', { class: 'case-acts' });
      (c.allowed || []).filter(function (s) {
        return listSteps.indexOf(s) >= 0 && (s !== 'supplement' || c.pending_item) && (!(s in can) || can[s]);
      }).forEach(function (s) {
        acts.appendChild(el('button', { type: 'button', class: 'btn btn-sm', dataset: { step: s }, onclick: function () { step(c, s); } }, t('case_step_' + s)));
      });
      rows.appendChild(el('tr', { class: 'level-row level-' + c.level, dataset: { id: c.id } },
        el('td', null, el('span', { class: 'dot level-' + c.level, title: t('case_level_' + c.level) }), t('case_level_' + c.level)),
        el('td', { class: 'num' }, c.number, c.applicant ? el('div', { class: 'small muted' }, c.applicant) : null),
        el('td', null, c.service_name, c.department_name ? el('div', { class: 'small muted' }, c.department_name) : null),
        el('td', null, t('case_state_' + c.state), c.pending_item ? el('div', { class: 'small' }, t('case_pending', c.pending_item, c.pending_due)) : null),
        el('td', null, k ? t('case_node_' + k.node) + ' ' + k.used + '/' + k.limit : ''),
        el('td', null, k ? k.due : c.notice ? t('caselist_bring_by', c.notice.bring_by) : ''),
        el('td', null, acts)));
    });
  }

  // Steps that ask for something open a dialog; the others go straight.
  var dlg = document.getElementById('cl-dlg'), fields = document.getElementById('cl-fields'), err = document.getElementById('cl-err');
  var departments = null, pending = null;
  var forms = {
    assign: [['department', 'select', 'department']],
    suspend: [['reason', 'select', 'reason'], ['note', 'text', 'note']],
    extend: [['days', 'number', 'days'], ['note', 'text', 'approval']],
    complete: [['note', 'text', 'result']]
  };
  function options(name) {
    if (name === 'reason') return ['hearing', 'testing', 'expert'].map(function (r) { return { id: r, name: t('case_reason_' + r) }; });
    return departments || [];
  }
  function step(c, s) {
    var send = function (body) {
      body.step = s;
      return q.api('POST', '/cases/' + c.id + '/steps', body).then(load);
    };
    if (!forms[s]) {
      send({}).catch(function (e) { msg.textContent = e.message; msg.hidden = false; });
      return;
    }
    var open = function () {
      q.clear(fields);
      forms[s].forEach(function (f) {
        var id = 'cl-f-' + f[0], input;
        if (f[1] === 'select') {
          input = el('select', { id: id, name: f[0] });
          options(f[0]).forEach(function (o) { input.appendChild(el('option', { value: o.id }, o.name)); });
        } else input = el('input', { id: id, name: f[0], type: f[1], min: f[1] === 'number' ? 1 : null, maxlength: f[1] === 'text' ? 200 : null });
        if (f[0] === 'days') input.value = 10;
        fields.appendChild(el('label', { for: id }, t('case_f_' + f[2])));
        fields.appendChild(input);
      });
      document.getElementById('cl-dlg-h').textContent = c.number + ' · ' + t('case_step_' + s);
      err.hidden = true;
      pending = send;
      dlg.showModal();
    };
    if (s === 'assign' && !departments) {
      q.api('GET', '/halls/' + hall.id + '/departments').then(function (r) { departments = r.data || []; open(); },
        function (e) { msg.textContent = e.message; msg.hidden = false; });
    } else open();
  }
  document.getElementById('cl-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {};
    fields.querySelectorAll('[name]').forEach(function (n) {
      body[n.name] = (n.name === 'department' || n.name === 'days') ? +n.value : n.value;
    });
    pending(body).then(function () { dlg.close(); }, function (e) { err.textContent = e.message; err.hidden = false; });
  });
  dlg.querySelector('[data-close]').addEventListener('click', function () { dlg.close(); });

  [fState, fNode].forEach(function (f) { f.addEventListener('change', draw); });
  fOpen.addEventListener('change', load);
  load();
  setInterval(load, 10000);
})();

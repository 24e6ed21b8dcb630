// The supervisor's work lists: bad-rating rectifications, complaints, call-back surveys and the
// pairing of rating pads. The lists follow the hall's live stream: a new bad rating shows at once.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data, hall = D.hall, codes = D.codes;
  var $ = function (id) { return document.getElementById(id); };
  var winName = {}, svcName = {};
  (D.windows || []).forEach(function (w) { winName[w.id] = w.name; });
  (D.services || []).forEach(function (s) { svcName[s.id] = s.name; });
  var tab = 'rect', selected = null, lastChange = null;

  function stars(n) { var s = ''; for (var i = 0; i < 5; i++) s += i < n ? '\u2605' : '\u2606'; return s; }
  function flags(x) {
    return [x.overdue ? el('span', { class: 'tag tag-danger' }, t('fb_overdue')) : null,
      x.escalated ? el('span', { class: 'tag tag-warn' }, t('fb_escalated')) : null,
      x.named ? el('span', { class: 'tag tag-info' }, t('fb_named')) : null];
  }
  function field(kind, name, label, opts) {
    var id = 'fb-f-' + name, input;
    if (kind === 'select') {
      input = el('select', { id: id, name: name });
      opts.forEach(function (o) { input.appendChild(el('option', { value: o[0] }, o[1])); });
    } else if (kind === 'check') {
      return el('label', { class: 'fb-check' }, el('input', { type: 'checkbox', id: id, name: name }), label);
    } else if (kind === 'area') {
      input = el('textarea', { id: id, name: name, rows: 2, maxlength: 1000 });
    } else {
      input = el('input', { id: id, name: name, type: kind });
    }
    return el('label', { class: 'fb-field' }, el('span', null, label), input);
  }
  // actionForm posts the form's fields to path; numbers and checkboxes keep their types.
  function actionForm(title, fields, path, button) {
    var err = el('p', { class: 'error-msg', role: 'alert', hidden: true });
    var f = el('form', { class: 'fb-action', dataset: { action: path.split('/').pop() } }, el('h3', null, title), fields,
      el('button', { class: 'btn btn-primary', type: 'submit' }, button), err);
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = {};
      f.querySelectorAll('input, select, textarea').forEach(function (i) {
        if (i.type === 'checkbox') body[i.name] = i.checked;
        else if (i.name === 'priority' || i.name === 'level' || i.name === 'n' || i.name === 'days') body[i.name] = +i.value;
        else body[i.name] = i.value;
      });
      q.api('POST', path, body).then(function (r) {
        // The answer is the item as it now stands: show it, even when it leaves the open list.
        if (r.data && r.data.id && tab !== 'survey') (tab === 'rect' ? rectDetail : compDetail)(r.data);
        load();
      }, function (x) { err.textContent = x.message; err.hidden = false; });
    });
    return f;
  }
  // noteOf words a step's note where it is a code (a verdict, a decision, a response, an opinion).
  function noteOf(s) {
    var n = s.note || '', first = n.split(' ')[0], rest = n.slice(first.length).trim();
    switch (s.action) {
      case 'open': case 'escalate': case 'take': return '';
      case 'verify': return codes.verdicts.indexOf(n) >= 0 ? t('fb_verdict_' + n) : n;
      case 'decide': var up = n === 'upheld'; return t(up ? 'fb_dec_upheld' : 'fb_dec_rejected');
      case 'callback': return codes.responses.indexOf(n) >= 0 ? t('fb_resp_' + n) : n;
      case 'opinion': return first ? t('fb_op_' + first) + (rest ? ' · ' + rest : '') : '';
    }
    return n;
  }
  function history(h) {
    var ol = el('ol', { class: 'fb-history' });
    (h || []).forEach(function (s) {
      var note = noteOf(s);
      ol.appendChild(el('li', null, el('span', { class: 'muted' }, q.fmt(s.at, hall.tz, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })), ' ',
        s.by, ' · ', t('fb_act_' + s.action), note ? ' · ' + note : ''));
    });
    return el('div', null, el('h3', null, t('fb_history')), ol);
  }
  function facts(pairs) {
    var dl = el('dl', { class: 'fb-facts' });
    pairs.forEach(function (p) { if (p[1] !== '' && p[1] !== undefined && p[1] !== null) dl.appendChild(el('div', null, el('dt', null, p[0]), el('dd', null, p[1]))); });
    return dl;
  }

  // --- rectifications ---
  function rectRow(x) {
    return el('tr', { dataset: { id: x.id }, class: selected === x.id ? 'sel' : '', tabindex: 0, onclick: function () { select(x.id); } },
      el('td', null, x.ticket_number), el('td', { class: 'fb-stars fb-l' + x.level, title: t('fb_level_' + x.level) }, stars(x.level)),
      el('td', null, winName[x.window_id] || ''), el('td', null, x.clerk_name || ''),
      el('td', null, el('span', { class: 'tag fb-s-' + x.state }, t('fb_rstate_' + x.state))),
      el('td', { class: 'fb-date' }, x.contact_due), el('td', { class: 'fb-date' }, x.due), el('td', null, flags(x)));
  }
  function rectDetail(x) {
    var box = q.clear($('fb-detail'));
    var p = '/rectifications/' + x.id + '/';
    box.appendChild(el('h2', null, x.ticket_number, ' · ', el('span', { class: 'fb-stars fb-l' + x.level }, stars(x.level)), ' ', t('fb_level_' + x.level)));
    box.appendChild(facts([[t('fb_code'), x.code], [t('fb_window'), winName[x.window_id]], [t('fb_clerk'), x.clerk_name], [t('fb_service'), svcName[x.service_id]],
      [t('fb_reasons'), x.tags.map(function (c) { return t('fb_tag_' + c); }).join('、')], [t('fb_comment'), x.comment],
      [t('fb_contact'), x.contact_phone], [t('fb_contact_due'), x.contact_due], [t('fb_due'), x.due],
      [t('fb_contact_note'), x.contact_note], [t('fb_verdict'), x.verdict ? t('fb_verdict_' + x.verdict) : ''], [t('fb_cause'), x.cause], [t('fb_fix'), x.fix],
      [t('fb_appeal'), x.appeal_reason], [t('fb_callback_outcome'), x.callback_outcome],
      [t('fb_callback_response'), x.callback_response ? t('fb_resp_' + x.callback_response) : '']]));
    switch (x.state) {
      case 'contact':
        box.appendChild(actionForm(t('fb_act_contact'), [field('area', 'note', t('fb_contact_note'))], p + 'contact', t('fb_save')));
        break;
      case 'verify':
        box.appendChild(actionForm(t('fb_act_verify'), [
          field('select', 'verdict', t('fb_verdict'), codes.verdicts.map(function (v) { return [v, t('fb_verdict_' + v)]; })),
          field('date', 'fix_by', t('fb_fix_by')), field('area', 'cause', t('fb_cause')), field('area', 'fix', t('fb_explain'))], p + 'verify', t('fb_save')));
        box.appendChild(actionForm(t('fb_act_appeal'), [field('area', 'note', t('fb_appeal'))], p + 'appeal', t('fb_save')));
        break;
      case 'appeal':
        box.appendChild(actionForm(t('fb_act_decide'), [field('select', 'decision', t('fb_decision'),
          [['upheld', t('fb_dec_upheld')], ['rejected', t('fb_dec_rejected')]])], p + 'decide', t('fb_save')));
        break;
      case 'rectify':
        box.appendChild(actionForm(t('fb_act_report'), [field('area', 'cause', t('fb_cause')), field('area', 'fix', t('fb_fix'))], p + 'report', t('fb_save')));
        break;
      case 'callback':
        box.appendChild(actionForm(t('fb_act_callback'), [field('area', 'outcome', t('fb_callback_outcome')),
          field('select', 'response', t('fb_callback_response'), codes.responses.map(function (r) { return [r, t('fb_resp_' + r)]; }))],
        p + 'callback', t('fb_save')));
        break;
    }
    box.appendChild(history(x.history));
  }

  // --- complaints ---
  function compRow(c) {
    return el('tr', { dataset: { id: c.id }, class: selected === c.id ? 'sel' : '', tabindex: 0, onclick: function () { select(c.id); } },
      el('td', { class: 'fb-date' }, c.code), el('td', null, t('fb_channel_' + c.channel)), el('td', null, t('fb_topic_' + c.topic)),
      el('td', null, c.class ? t('fb_class_' + c.class) : ''), el('td', null, el('span', { class: 'tag fb-s-' + c.state }, t('fb_cstate_' + c.state))),
      el('td', { class: 'fb-date' }, c.state === 'new' ? c.sign_due : c.due || ''), el('td', null, c.contact_name + ' ' + c.contact_phone), el('td', null, flags(c)));
  }
  function compDetail(c) {
    var box = q.clear($('fb-detail'));
    var p = '/halls/' + hall.id + '/complaints/' + c.id + '/';
    box.appendChild(el('h2', null, c.code, ' ', el('span', { class: 'tag fb-s-' + c.state }, t('fb_cstate_' + c.state))));
    box.appendChild(facts([[t('fb_channel'), t('fb_channel_' + c.channel)], [t('fb_topic'), t('fb_topic_' + c.topic)],
      [t('fb_contact'), c.contact_name + ' ' + c.contact_phone], [t('fb_ticket'), c.ticket_number], [t('fb_window'), winName[c.window_id]],
      [t('fb_clerk'), c.clerk_name], [t('fb_complain_text'), c.text], [t('fb_received'), c.received_day], [t('fb_sign_due'), c.sign_due], [t('fb_due'), c.due],
      [t('fb_class'), c.class ? t('fb_class_' + c.class) : ''], [t('fb_department'), c.department], [t('fb_action'), c.action], [t('fb_result'), c.result],
      [t('fb_opinion'), c.opinion ? t('fb_op_' + c.opinion) : ''], [t('fb_cause'), c.cause], [t('fb_improvement'), c.improvement]]));
    switch (c.state) {
      case 'new':
        box.appendChild(el('p', { class: 'note' }, t('fb_learn_hint')));
        box.appendChild(actionForm(t('fb_act_sign'), [field('area', 'note', t('fb_note'))], p + 'sign', t('fb_save')));
        break;
      case 'received':
        box.appendChild(actionForm(t('fb_act_classify'), [
          field('select', 'class', t('fb_class'), codes.classes.map(function (k) { return [k, t('fb_class_' + k)]; })),
          field('text', 'department', t('fb_department')),
          field('select', 'priority', t('fb_priority'), [['1', t('fb_prio_1')], ['2', t('fb_prio_2')], ['3', t('fb_prio_3')]])], p + 'classify', t('fb_save')));
        break;
      case 'investigating':
      case 'escalated':
        box.appendChild(actionForm(t('fb_act_handle'), [field('check', 'listened', t('fb_listened')), field('check', 'apologised', t('fb_apologised')),
          field('area', 'action', t('fb_action')), field('area', 'result', t('fb_result')), field('check', 'upheld', t('fb_upheld'))], p + 'handle', t('fb_save')));
        break;
      case 'feedback':
        box.appendChild(actionForm(t('fb_act_opinion'), [field('select', 'opinion', t('fb_opinion'),
          [['satisfied', t('fb_op_satisfied')], ['unsatisfied', t('fb_op_unsatisfied')]]), field('area', 'note', t('fb_note'))], p + 'opinion', t('fb_save')));
        break;
      case 'archived':
        box.appendChild(actionForm(t('fb_act_learn'), [field('area', 'cause', t('fb_cause')), field('area', 'improvement', t('fb_improvement'))], p + 'learn', t('fb_save')));
        break;
    }
    box.appendChild(history(c.history));
  }

  // --- surveys and pads ---
  function surveyView(list) {
    var box = q.clear($('fb-list'));
    box.appendChild(actionForm(t('fb_survey_draw'), [field('number', 'n', t('fb_survey_n')), field('number', 'days', t('fb_survey_days'))],
      '/halls/' + hall.id + '/surveys/draw', t('fb_survey_draw')));
    box.querySelector('[name=n]').value = 10;
    box.querySelector('[name=days]').value = 30;
    var tb = el('tbody');
    list.forEach(function (c) {
      var level = el('select', { 'aria-label': t('fb_level') }, [5, 4, 3, 2, 1].map(function (l) { return el('option', { value: l }, t('fb_level_' + l)); }));
      var rec = function (reached) {
        return function () {
          q.api('POST', '/surveys/' + c.id, { reached: reached, level: +level.value }).then(load, function (x) { alert(x.message); });
        };
      };
      tb.appendChild(el('tr', null, el('td', null, t('fb_source_' + c.source)), el('td', null, c.contact_phone),
        el('td', null, c.state === 'pending' ? [level, ' ', el('button', { class: 'btn', type: 'button', onclick: rec(true) }, t('fb_save')), ' ',
          el('button', { class: 'btn btn-quiet', type: 'button', onclick: rec(false) }, t('fb_unreachable'))] :
          (c.level ? t('fb_level_' + c.level) : t('fb_unreachable')))));
    });
    box.appendChild(el('table', { class: 'fb-table' }, el('thead', null, el('tr', null, el('th', null, t('fb_source')), el('th', null, t('fb_contact')),
      el('th', null, t('fb_level')))), tb));
    q.clear($('fb-detail')).appendChild(el('p', { class: 'muted' }, t('fb_survey_help')));
  }
  function padView() {
    var box = q.clear($('fb-list'));
    var sel = el('select', { id: 'fb-pad-window' }, (D.windows || []).map(function (w) { return el('option', { value: w.id }, w.name); }));
    var out = el('div', { class: 'fb-padcode', 'aria-live': 'polite' });
    box.appendChild(el('h2', null, t('fb_tab_pad')));
    box.appendChild(el('p', { class: 'muted' }, t('fb_pad_help')));
    box.appendChild(el('label', { class: 'fb-field' }, el('span', null, t('fb_window')), sel));
    box.appendChild(el('button', { class: 'btn btn-primary', type: 'button', id: 'fb-pad-go', onclick: function () {
      q.api('POST', '/windows/' + sel.value + '/pad-code').then(function (r) {
        q.clear(out).appendChild(el('p', null, t('fb_pad_code_is'), ' ', el('strong', { class: 'fb-code-big', id: 'fb-pad-code' }, r.data.code)));
        out.appendChild(el('p', null, el('a', { href: '/pad/' + sel.value, target: '_blank' }, '/pad/' + sel.value)));
      }, function (x) { q.clear(out).appendChild(el('p', { class: 'error-msg' }, x.message)); });
    } }, t('fb_pad_make')));
    box.appendChild(out);
    q.clear($('fb-detail'));
  }

  function table(heads, rows) {
    return el('table', { class: 'fb-table' }, el('thead', null, el('tr', null, heads.map(function (h) { return el('th', null, h); }))), el('tbody', null, rows));
  }
  function select(id) {
    selected = id;
    document.querySelectorAll('#fb-list tr[data-id]').forEach(function (r) { r.classList.toggle('sel', +r.dataset.id === id); });
    var path = tab === 'rect' ? '/rectifications/' + id : '/halls/' + hall.id + '/complaints/' + id;
    q.api('GET', path).then(function (r) { (tab === 'rect' ? rectDetail : compDetail)(r.data); });
  }
  function load() {
    var state = $('fb-state').value;
    if (tab === 'pad') { padView(); return; }
    if (tab === 'survey') {
      q.api('GET', '/halls/' + hall.id + '/surveys?state=' + (state === 'open' ? 'pending' : 'all')).then(function (r) { surveyView(r.data); });
      return;
    }
    var path = tab === 'rect' ? '/halls/' + hall.id + '/rectifications?state=' + state : '/halls/' + hall.id + '/complaints?state=' + state;
    q.api('GET', path).then(function (r) {
      var box = q.clear($('fb-list'));
      if (state === 'open') $(tab === 'rect' ? 'fb-n-rect' : 'fb-n-complaint').textContent = r.data.length || '';
      if (!r.data.length) { box.appendChild(el('p', { class: 'muted' }, t('fb_none'))); return; }
      box.appendChild(tab === 'rect' ?
        table([t('fb_ticket'), t('fb_level'), t('fb_window'), t('fb_clerk'), t('fb_state'), t('fb_contact_due'), t('fb_due'), t('fb_flags')], r.data.map(rectRow)) :
        table([t('fb_code'), t('fb_channel'), t('fb_topic'), t('fb_class'), t('fb_state'), t('fb_due'), t('fb_contact'), t('fb_flags')], r.data.map(compRow)));
      if (selected && r.data.some(function (x) { return x.id === selected; })) select(selected);
    }, function (x) { q.clear($('fb-list')).appendChild(el('p', { class: 'error-msg' }, x.message)); });
  }

  document.querySelectorAll('.fb-tab').forEach(function (b) {
    b.addEventListener('click', function () {
      tab = b.dataset.tab; selected = null;
      document.querySelectorAll('.fb-tab').forEach(function (x) { x.setAttribute('aria-selected', String(x === b)); });
      q.clear($('fb-detail')).appendChild(el('p', { class: 'muted' }, t('fb_pick')));
      load();
    });
  });
  $('fb-state').addEventListener('change', load);
  load();
  // Open counts of the other list, for its tab.
  function counts() {
    ['rect', 'complaint'].forEach(function (k) {
      if (k === tab) return;
      q.api('GET', '/halls/' + hall.id + (k === 'rect' ? '/rectifications' : '/complaints') + '?state=open').then(function (r) {
        $('fb-n-' + k).textContent = r.data.length || '';
      });
    });
  }
  // The hall's public state carries only when feedback last changed: re-read on a change.
  q.stream(hall.id, function (st) {
    var f = st.feedback;
    if (!f) return;
    if (lastChange !== null && f.changed !== lastChange) { if (tab !== 'pad') load(); counts(); }
    if (lastChange === null) counts();
    lastChange = f.changed;
  });
})();

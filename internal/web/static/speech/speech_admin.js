// Service language library (服务用语规则库): rules by category with search, one-rule edits,
// import and export, history, and a box that checks a text and marks its hits.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var editable = !!(q.data && q.data.editable);

  var msg = document.getElementById('sp-msg');
  var problemsBox = document.getElementById('sp-problems');
  var rulesOut = document.getElementById('sp-rules');
  var search = document.getElementById('sp-search');
  var lib = null, catName = {}, msgTimer = null;

  function showMsg(text, ok) {
    msg.textContent = text;
    msg.className = 'banner ' + (ok ? 'banner-ok' : 'banner-error');
    msg.hidden = false;
    clearTimeout(msgTimer);
    msgTimer = setTimeout(function () { msg.hidden = true; }, ok ? 4000 : 10000);
  }

  // showProblems lists every problem of a refused rule set (or hides the list).
  function showProblems(box, e) {
    var list = box.querySelector('ul') || box;
    var problems = (e && e.data && e.data.problems) || [];
    q.clear(list);
    problems.forEach(function (p) { list.appendChild(el('li', null, p)); });
    box.hidden = !problems.length;
  }

  function lines(s) {
    return s.split(/\r?\n/).map(function (x) { return x.trim(); }).filter(function (x) { return x; });
  }

  // --- the rules ---
  function matches(r, needle) {
    if (!needle) return true;
    var hay = [r.id, r.suggestion, catName[r.category] || r.category].concat(r.words || [], r.patterns || [], r.exceptions || []).join('\n').toLowerCase();
    return hay.indexOf(needle) >= 0;
  }

  function renderRules() {
    var needle = search.value.trim().toLowerCase();
    q.clear(rulesOut);
    var shown = 0;
    lib.categories.forEach(function (c) {
      var rules = lib.rules.filter(function (r) { return r.category === c.code && matches(r, needle); });
      if (!rules.length) return;
      shown += rules.length;
      var body = el('tbody');
      rules.forEach(function (r) {
        var tag = r.severity >= 3 ? 'tag-danger' : r.severity === 2 ? 'tag-warn' : 'tag-info';
        body.appendChild(el('tr', { dataset: { rule: r.id } },
          el('td', { class: 'sp-id' }, r.id),
          el('td', { class: 'sp-words' }, (r.words || []).concat(r.patterns || []).join('、'),
            (r.exceptions || []).length ? el('div', { class: 'muted small' }, '≠ ' + r.exceptions.join('、')) : null),
          el('td', null, el('span', { class: 'tag ' + tag }, t('speech_sev_' + r.severity))),
          el('td', null, r.suggestion),
          editable ? el('td', { class: 'sp-row-actions' },
            el('button', { type: 'button', class: 'btn btn-quiet', dataset: { edit: r.id } }, t('speech_edit')),
            el('button', { type: 'button', class: 'btn btn-quiet', dataset: { del: r.id } }, t('speech_delete'))) : null));
      });
      rulesOut.appendChild(el('section', { class: 'sp-cat' },
        el('h3', null, c.name, ' ', el('span', { class: 'count-pill' }, rules.length)),
        el('div', { class: 'table-wrap' }, el('table', { class: 'table table-compact' },
          el('thead', null, el('tr', null,
            el('th', { scope: 'col' }, t('speech_rule_id')), el('th', { scope: 'col' }, t('speech_words_col')),
            el('th', { scope: 'col' }, t('speech_severity')), el('th', { scope: 'col' }, t('speech_suggestion')),
            editable ? el('th', { scope: 'col' }) : null)),
          body))));
    });
    if (!shown) rulesOut.appendChild(el('p', { class: 'muted' }, t('speech_no_match')));
    document.getElementById('sp-count').textContent = needle ? shown + ' / ' + lib.rules.length : lib.rules.length;
  }

  function renderScenarios() {
    var out = q.clear(document.getElementById('sp-scenarios'));
    lib.steps.forEach(function (st) {
      var scs = lib.scenarios.filter(function (s) { return s.step === st.code; });
      if (!scs.length) return;
      out.appendChild(el('h3', null, st.name));
      scs.forEach(function (s) {
        out.appendChild(el('details', { class: 'sp-scenario' },
          el('summary', null, s.name, s.time_of_day ? ' · ' + t('speech_tod_' + s.time_of_day) : ''),
          el('ul', null, s.phrases.map(function (p) { return el('li', null, p); }))));
      });
    });
  }

  function load() {
    return q.api('GET', '/speech/rules').then(function (r) {
      lib = r.data;
      lib.categories.forEach(function (c) { catName[c.code] = c.name; });
      document.getElementById('sp-version').textContent = '· ' + (lib.builtin ? t('speech_builtin') : t('speech_version', lib.version));
      renderRules();
      renderScenarios();
      if (editable) loadHistory();
    }).catch(function (e) { showMsg(e.message); });
  }

  search.addEventListener('input', function () { if (lib) renderRules(); });

  // --- history ---
  function loadHistory() {
    q.api('GET', '/speech/rules/history').then(function (r) {
      var body = q.clear(document.getElementById('sp-history'));
      r.data.forEach(function (h) {
        body.appendChild(el('tr', null,
          el('td', null, h.builtin ? t('speech_builtin') : t('speech_version', h.version)),
          el('td', null, h.builtin ? '' : q.fmt(h.created_at, null, { year: 'numeric', month: '2-digit', day: '2-digit' })),
          el('td', null, h.created_by || ''),
          el('td', { class: 'num' }, h.rules),
          el('td', null, h.note || ''),
          el('td', null, el('a', { href: '/api/v1/speech/rules/export?version=' + h.version, download: true }, t('speech_export')))));
      });
    }).catch(function (e) { showMsg(e.message); });
  }

  // --- one-rule edits (admin) ---
  if (editable) {
    var dlg = document.getElementById('dlg-rule');
    var form = document.getElementById('rule-form');
    var ruleErr = document.getElementById('rule-error');
    var catSelect = document.getElementById('rf-category');
    // the fields (form.id would be the form's own id attribute)
    var fId = document.getElementById('rf-id'), fSev = document.getElementById('rf-severity');
    var fWords = document.getElementById('rf-words'), fSug = document.getElementById('rf-suggestion');
    var fExc = document.getElementById('rf-exceptions');

    var editing = null; // the rule being edited: fields the form does not show are kept
    function openRule(r) {
      editing = r;
      q.clear(catSelect);
      lib.categories.forEach(function (c) { catSelect.appendChild(el('option', { value: c.code }, c.name)); });
      fId.value = r ? r.id : '';
      fId.readOnly = !!r;
      catSelect.value = r ? r.category : lib.categories[0].code;
      fSev.value = String(r ? r.severity : 2);
      fWords.value = r ? (r.words || []).join('\n') : '';
      fSug.value = r ? r.suggestion : '';
      fExc.value = r && r.exceptions ? r.exceptions.join('\n') : '';
      ruleErr.hidden = true;
      dlg.showModal();
    }

    document.getElementById('sp-new').addEventListener('click', function () { if (lib) openRule(null); });
    dlg.querySelector('[data-close]').addEventListener('click', function () { dlg.close(); });
    rulesOut.addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b || !lib) return;
      var id = b.dataset.edit || b.dataset.del;
      var rule = lib.rules.filter(function (r) { return r.id === id; })[0];
      if (b.dataset.edit && rule) openRule(rule);
      if (b.dataset.del && window.confirm(t('speech_delete_confirm', id))) {
        q.api('DELETE', '/speech/rules/' + encodeURIComponent(id))
          .then(function () { showMsg(t('speech_deleted', id), true); return load(); })
          .catch(function (e) { showMsg(e.message); });
      }
    });

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var id = fId.value.trim();
      var body = { category: catSelect.value, severity: Number(fSev.value), words: lines(fWords.value),
        suggestion: fSug.value.trim() };
      var exc = lines(fExc.value);
      if (exc.length) body.exceptions = exc;
      if (editing) {
        ['patterns', 'match', 'not_after', 'not_in_question'].forEach(function (k) {
          if (editing[k] !== undefined) body[k] = editing[k];
        });
      }
      q.api('PUT', '/speech/rules/' + encodeURIComponent(id), body).then(function (r) {
        dlg.close();
        showMsg(t('speech_saved', r.data.version), true);
        return load();
      }).catch(function (e) {
        var problems = (e.data && e.data.problems) || [];
        ruleErr.textContent = e.message + (problems.length ? '：' + problems.join('；') : '');
        ruleErr.hidden = false;
      });
    });

    // --- import: the whole file becomes the next version ---
    var fileInput = document.getElementById('sp-import');
    fileInput.addEventListener('change', function () {
      var f = fileInput.files && fileInput.files[0];
      if (!f) return;
      f.text().then(function (text) {
        return q.api('PUT', '/speech/rules?note=' + encodeURIComponent(f.name.slice(0, 100)), text, true);
      }).then(function (r) {
        showProblems(problemsBox, null);
        showMsg(t('speech_saved', r.data.version), true);
        return load();
      }).catch(function (e) {
        showMsg(e.message);
        showProblems(problemsBox, e);
      }).then(function () { fileInput.value = ''; });
    });
  }

  // --- check a text ---
  var checkForm = document.getElementById('sp-check-form');
  checkForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = document.getElementById('sp-text').value;
    var sum = document.getElementById('sp-check-sum');
    var out = document.getElementById('sp-check-out');
    q.api('POST', '/speech/check', { text: text, plain: document.getElementById('sp-plain').checked }).then(function (r) {
      var hits = r.data.hits;
      sum.textContent = hits.length ? t('speech_hits_n', hits.length) : t('speech_clean');
      sum.className = 'small ' + (hits.length ? 'sp-dirty' : 'sp-clean');
      q.clear(out).appendChild(q.highlight(text, hits));
      out.hidden = false;
      q.hitList(document.getElementById('sp-check-hits'), hits);
    }).catch(function (e) {
      sum.textContent = e.message;
      sum.className = 'small sp-dirty';
      out.hidden = true;
    });
  });

  load();
})();

// Rating (好差评): the pad at a window (mode "pad") and the citizen's phone (mode "phone") share
// this form. Five levels as stars and words, never preselected; the reason tags follow the level;
// a comment and, for a bad rating, a phone number for the call-back are optional.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var codes = D.codes;
  var $ = function (id) { return document.getElementById(id); };
  var LEVELS = [5, 4, 3, 2, 1];

  function stars(n) {
    var s = '';
    for (var i = 0; i < 5; i++) s += i < n ? '\u2605' : '\u2606';
    return s;
  }

  // form builds the rating form into box; send(body) returns a promise of the rating.
  function form(box, number, send, onDone) {
    var chosen = 0, tags = {};
    q.clear(box);
    var tagBox = el('div', { class: 'fb-tags', role: 'group', 'aria-label': t('fb_reasons') });
    var comment = el('textarea', { id: 'fb-comment', rows: 2, maxlength: 500, placeholder: t('fb_comment_hint') });
    var phone = el('input', { id: 'fb-callback', inputmode: 'tel', maxlength: 20, autocomplete: 'tel', placeholder: t('fb_callback_hint') });
    var phoneRow = el('label', { class: 'fb-phone', hidden: true }, t('fb_callback'), phone);
    var submit = el('button', { class: 'btn btn-primary btn-lg', type: 'submit', disabled: true }, t('fb_submit'));
    var err = el('p', { class: 'error-msg', role: 'alert', hidden: true });
    var levels = el('div', { class: 'fb-levels', role: 'radiogroup', 'aria-label': t('fb_rate_ask') });
    LEVELS.forEach(function (l) {
      levels.appendChild(el('button', {
        type: 'button', class: 'fb-level fb-l' + l, role: 'radio', 'aria-checked': 'false', dataset: { level: l },
        onclick: function () { pick(l); }
      }, el('span', { class: 'fb-stars', 'aria-hidden': 'true' }, stars(l)), el('span', { class: 'fb-word' }, t('fb_level_' + l))));
    });
    function pick(l) {
      chosen = l; tags = {};
      levels.querySelectorAll('.fb-level').forEach(function (b) { b.setAttribute('aria-checked', String(+b.dataset.level === l)); });
      q.clear(tagBox);
      (codes.tags[String(l)] || []).forEach(function (c) {
        tagBox.appendChild(el('button', {
          type: 'button', class: 'fb-tag', 'aria-pressed': 'false', dataset: { tag: c },
          onclick: function (e) {
            tags[c] = !tags[c];
            e.currentTarget.setAttribute('aria-pressed', String(!!tags[c]));
          }
        }, t('fb_tag_' + c)));
      });
      phoneRow.hidden = l > 2;
      submit.disabled = false;
      if (onDone.touch) onDone.touch();
    }
    var f = el('form', { class: 'fb-form' },
      el('p', { class: 'fb-ask' }, number ? t('fb_rate_for', number) : t('fb_rate_ask')),
      levels, tagBox, comment, phoneRow, submit, err);
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!chosen) return;
      submit.disabled = true; err.hidden = true;
      var body = { level: chosen, tags: Object.keys(tags).filter(function (k) { return tags[k]; }), comment: comment.value };
      if (chosen <= 2 && phone.value.trim()) body.contact_phone = phone.value.trim();
      send(body).then(function (r) { onDone(r); }, function (x) {
        err.textContent = x.message; err.hidden = false; submit.disabled = false;
      });
    });
    f.addEventListener('input', function () { if (onDone.touch) onDone.touch(); });
    box.appendChild(f);
  }

  function thanks(box, r) {
    q.clear(box);
    box.appendChild(el('div', { class: 'fb-thanks', role: 'status' },
      el('p', { class: 'fb-thanks-big' }, t('fb_thanks')),
      el('p', null, el('span', { class: 'fb-stars' }, stars(r.level)), ' ', t('fb_level_' + r.level)),
      // On the phone the citizen may follow it; the pad is the window's, so it only shows the code.
      r.rectification ? el('p', { class: 'note' }, t('fb_rect_opened', r.rectification), ' ', D.mode === 'phone' ?
        el('a', { href: '/r/' + encodeURIComponent(r.rectification), id: 'fb-rect-link' }, t('fb_rect_follow')) : null) : null));
  }

  // --- the citizen's phone ---
  function phonePage() {
    var box = $('fb-rate');
    var v = D.rating;
    function followup(r) {
      if (r.followup) { box.appendChild(el('p', { class: 'note' }, t('fb_followup_done'), ' ', r.followup)); return; }
      var ta = el('textarea', { rows: 3, maxlength: 500, id: 'fb-followup' });
      var err = el('p', { class: 'error-msg', role: 'alert', hidden: true });
      var f = el('form', { class: 'form' }, el('label', { for: 'fb-followup' }, t('fb_followup')), ta,
        el('button', { class: 'btn', type: 'submit' }, t('fb_submit')), err);
      f.addEventListener('submit', function (e) {
        e.preventDefault();
        q.api('POST', '/tickets/' + encodeURIComponent(D.token) + '/rating/followup', { text: ta.value }).then(function (res) {
          thanks(box, res.data); followup(res.data);
        }, function (x) { err.textContent = x.message; err.hidden = false; });
      });
      box.appendChild(f);
    }
    if (v.rating) { thanks(box, v.rating); followup(v.rating); return; }
    if (!v.rateable) {
      box.appendChild(el('p', { class: 'note' }, v.reason === 'span_over' ? t('fb_rate_late') : t('fb_rate_not_yet')));
      return;
    }
    var done = function (r) { thanks(box, r.data); followup(r.data); };
    form(box, D.number, function (body) {
      return q.api('POST', '/tickets/' + encodeURIComponent(D.token) + '/rating', body);
    }, done);
    box.appendChild(el('p', { class: 'muted small' }, t('fb_rate_until', q.fmt(v.until, D.hall.tz, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }))));
  }

  // --- the pad at the window ---
  function padPage() {
    var key = 'qhall_pad_' + D.window;
    var token = localStorage.getItem(key) || '';
    var current = null, idleTimer = null, thanksTimer = null;
    var dismissed = {}; // tickets whose prompt timed out: not asked again

    var IDLE_MS = 90000;

    function padFetch(method, path, body) {
      var opt = { method: method, headers: { 'Accept': 'application/json', 'Accept-Language': document.documentElement.lang, 'X-Qhall-Pad': token } };
      if (body) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
      return fetch('/api/v1' + path, opt).then(function (r) {
        return r.json().catch(function () { return null; }).then(function (d) {
          if (!r.ok) { var e = new Error((d && d.message) || r.status); e.status = r.status; throw e; }
          return { status: r.status, data: d };
        });
      }, function () { var e = new Error(t('offline')); e.status = 0; throw e; });
    }
    function show(which) {
      $('fb-pair').hidden = which !== 'pair';
      $('fb-idle').hidden = which !== 'idle';
      $('fb-rate').hidden = which !== 'rate';
    }
    function idle() {
      if (current) dismissed[current] = true;
      current = null; clearTimeout(idleTimer); show('idle');
    }
    function touch() {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(idle, IDLE_MS);
    }
    function prompt() {
      if (!token) { show('pair'); return; }
      padFetch('GET', '/pads/prompt').then(function (r) {
        var tk = r.data.ticket;
        if (thanksTimer) return; // let the thanks be read
        if (!tk || dismissed[tk.token]) { if (current) idle(); else show('idle'); return; }
        if (current === tk.token) return;
        current = tk.token;
        var done = function (res) {
          thanks($('fb-rate'), res.data);
          thanksTimer = setTimeout(function () { thanksTimer = null; idle(); }, 6000);
        };
        done.touch = touch;
        form($('fb-rate'), tk.number, function (body) {
          return padFetch('POST', '/tickets/' + encodeURIComponent(tk.token) + '/rating', body);
        }, done);
        show('rate');
        touch();
      }, function (e) {
        if (e.status === 401) { localStorage.removeItem(key); token = ''; show('pair'); }
      });
    }
    $('fb-pair').addEventListener('submit', function (e) {
      e.preventDefault();
      var err = $('fb-pair-err');
      err.hidden = true;
      q.api('POST', '/pads/pair', { window: D.window, code: $('fb-code').value.trim() }).then(function (r) {
        token = r.data.token;
        localStorage.setItem(key, token);
        prompt();
      }, function (x) { err.textContent = x.message; err.hidden = false; });
    });
    prompt();
    var timer = null;
    q.stream(D.hall.id, function () {
      clearTimeout(timer);
      timer = setTimeout(prompt, 150);
    });
  }

  if (D.mode === 'pad') padPage(); else phonePage();
})();

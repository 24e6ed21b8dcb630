// qhall: helpers shared by every page. Plain JavaScript, no build step.
(function () {
  'use strict';

  function readJSON(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    try { return JSON.parse(el.textContent); } catch (e) { return fallback; }
  }

  var MSG = readJSON('qhall-msg', {}) || {};
  var DATA = readJSON('qhall-data', null);
  var LANG = document.documentElement.lang || 'zh-CN';

  // t('kiosk_ahead', 3) fills %s/%d/%v in order, as the server's messages do.
  function t(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    var s = Object.prototype.hasOwnProperty.call(MSG, key) ? MSG[key] : key;
    var i = 0;
    return s.replace(/%[sdv]/g, function (m) { return i < args.length ? String(args[i++]) : m; });
  }

  // el('li', {class: 'x', dataset: {id: 1}}, 'text', child) builds DOM; strings are text, never HTML.
  function el(tag, attrs) {
    var n = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') n.className = v;
        else if (k === 'dataset') Object.keys(v).forEach(function (d) { n.dataset[d] = v[d]; });
        else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
        else if (v === true) n.setAttribute(k, '');
        else n.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(n, arguments[i]);
    return n;
  }
  function append(n, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(n, x); }); return; }
    n.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); return n; }

  // api calls the JSON API; errors carry the server's message in the page's language (and the
  // whole answer in err.data). raw sends body as it is (a file's text) instead of as JSON.
  function api(method, path, body, raw) {
    // The page's language, not the browser's, words the answers (a kiosk on an English system
    // still speaks Chinese).
    var opt = { method: method, headers: { 'Accept': 'application/json', 'Accept-Language': LANG }, credentials: 'same-origin' };
    if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = raw ? body : JSON.stringify(body); }
    return fetch('/api/v1' + path, opt).then(function (r) {
      if (r.status === 204) return { status: 204, data: null };
      return r.json().catch(function () { return null; }).then(function (data) {
        // A staff page whose session is gone (signed out in another tab, expired): to the
        // sign-in page, and back here after it.
        if (r.status === 401 && location.pathname !== '/login' && path !== '/auth/login') {
          location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
        }
        if (!r.ok) {
          var err = new Error((data && data.message) || (r.status + ' ' + r.statusText));
          err.status = r.status; err.code = data && data.error; err.data = data;
          throw err;
        }
        return { status: r.status, data: data };
      });
    }, function () {
      var err = new Error(t('offline')); err.status = 0; throw err;
    });
  }

  // stream follows a hall's live state (server-sent events). It shows a notice while the
  // connection is down and reconnects by itself; the first state after a reconnect catches up.
  function stream(hall, onState) {
    var es = null, delay = 1000, timer = null, closed = false;
    var notice = null;
    function showOffline(on) {
      if (on && !notice) {
        notice = el('div', { class: 'offline', role: 'alert' }, t('offline'));
        document.body.appendChild(notice);
      } else if (!on && notice) {
        notice.remove(); notice = null;
      }
    }
    function connect() {
      if (closed) return;
      es = new EventSource('/api/v1/halls/' + encodeURIComponent(hall) + '/events');
      es.addEventListener('open', function () { delay = 1000; showOffline(false); });
      es.addEventListener('state', function (ev) {
        showOffline(false);
        var st;
        try { st = JSON.parse(ev.data); } catch (e) { return; }
        onState(st);
      });
      es.addEventListener('error', function () {
        // Reconnect on our own schedule (1 s, then longer up to 15 s) rather than the browser's.
        showOffline(true);
        es.close();
        clearTimeout(timer);
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 15000);
      });
    }
    connect();
    window.addEventListener('pagehide', function () { closed = true; if (es) es.close(); });
    return { close: function () { closed = true; if (es) es.close(); clearTimeout(timer); } };
  }

  // Times are shown in the hall's own time zone.
  var LOCALE = LANG === 'en' ? 'en-GB' : LANG;
  function fmt(date, tz, opts) {
    if (!date) return '';
    var d = date instanceof Date ? date : new Date(date);
    if (isNaN(d)) return '';
    var o = Object.assign({ hour: '2-digit', minute: '2-digit', hour12: false }, opts || {});
    if (tz) o.timeZone = tz;
    try { return new Intl.DateTimeFormat(LOCALE, o).format(d); } catch (e) { delete o.timeZone; return new Intl.DateTimeFormat(LOCALE, o).format(d); }
  }
  function minutes(ms) { return Math.max(0, Math.round(ms / 60000)); }
  function zero(ts) { return !ts || ts.indexOf('0001-01-01') === 0; }

  // clock keeps elements with [data-clock] showing the time.
  function clock(tz) {
    var nodes = document.querySelectorAll('[data-clock]');
    if (!nodes.length) return;
    function tick() { var s = fmt(new Date(), tz); nodes.forEach(function (n) { n.textContent = s; }); }
    tick(); setInterval(tick, 1000);
  }

  // highlight returns text with the checker's hits marked; hit offsets are in characters (code
  // points), as the server counts them.
  function highlight(text, hits) {
    var chars = Array.from(text), frag = document.createDocumentFragment(), at = 0;
    hits.forEach(function (h) {
      if (h.start < at || h.end > chars.length) return;
      if (h.start > at) frag.appendChild(document.createTextNode(chars.slice(at, h.start).join('')));
      frag.appendChild(el('mark', { class: 'hit sev-' + h.severity, title: h.category_name + ' · ' + h.suggestion },
        chars.slice(h.start, h.end).join('')));
      at = h.end;
    });
    if (at < chars.length) frag.appendChild(document.createTextNode(chars.slice(at).join('')));
    return frag;
  }

  // hitList fills a list with the hits: the phrase, its category and severity, what to say instead.
  function hitList(list, hits) {
    clear(list);
    hits.forEach(function (h) {
      var tag = h.severity >= 3 ? 'tag-danger' : h.severity === 2 ? 'tag-warn' : 'tag-info';
      list.appendChild(el('li', { class: 'sev-' + h.severity },
        el('span', { class: 'hit-text' }, '“' + h.text + '”'), ' ',
        el('span', { class: 'tag ' + tag }, h.category_name + ' · ' + h.severity_name),
        el('div', { class: 'hit-sug' }, t('speech_suggest', h.suggestion))));
    });
  }

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-logout]');
    if (!b) return;
    ev.preventDefault();
    // Signing out closes one's window; with a ticket in service the server refuses and says so.
    api('POST', '/auth/logout').then(function () { location.href = '/login'; }, function (e) {
      if (e.status === 401) { location.href = '/login'; return; }
      var box = el('div', { class: 'offline logout-error', role: 'alert' }, e.message);
      document.body.appendChild(box);
      setTimeout(function () { box.remove(); }, 8000);
    });
  });

  // "Sign out on my other devices": the wording of the outcome comes with the button (data-done).
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-end-others]');
    if (!b) return;
    ev.preventDefault();
    b.disabled = true;
    api('POST', '/me/sessions/end-others').then(function () {
      b.querySelector('.label').textContent = b.dataset.done;
    }, function (err) {
      b.querySelector('.label').textContent = err.message;
      b.disabled = false;
    });
  });

  window.qhall = { t: t, el: el, clear: clear, api: api, stream: stream, fmt: fmt, minutes: minutes, zero: zero,
    clock: clock, data: DATA, lang: LANG, highlight: highlight, hitList: hitList };
})();

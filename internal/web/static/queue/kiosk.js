// Kiosk (取号机): choose a service, optionally a green-channel class, take a ticket, print it.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var hall = D.hall;
  var services = {};
  D.services.forEach(function (s) { services[s.id] = s; });

  var choose = document.getElementById('choose');
  var ticketBox = document.getElementById('ticket');
  var closedBanner = document.getElementById('kiosk-closed');
  var errBanner = document.getElementById('kiosk-error');
  var prioToggle = document.getElementById('prio-toggle');
  var prioList = document.getElementById('prio-list');
  var issuing = closedBanner.hidden;
  var priority = '', priorityName = '';
  var busy = false;
  var countdown = null;

  q.clock(hall.tz);

  function tiles() { return document.querySelectorAll('.tile[data-service]'); }
  function setTilesEnabled() {
    tiles().forEach(function (b) { b.disabled = busy || !issuing; });
  }

  var errTimer = null;
  function showError(msg) {
    errBanner.textContent = msg;
    errBanner.hidden = false;
    clearTimeout(errTimer);
    errTimer = setTimeout(function () { errBanner.hidden = true; }, 8000);
  }

  // --- live waiting counts and whether the hall issues tickets ---
  q.stream(hall.id, function (st) {
    issuing = !!st.issuing;
    closedBanner.hidden = issuing;
    (st.services || []).forEach(function (s) {
      var n = document.querySelector('[data-waiting-for="' + s.id + '"]');
      if (n) n.textContent = t('kiosk_waiting_n', s.waiting);
    });
    setTilesEnabled();
  });

  // --- green channel ---
  function setPriority(code, name) {
    priority = code; priorityName = code ? name : '';
    prioList.querySelectorAll('[data-priority]').forEach(function (b) {
      b.setAttribute('aria-checked', b.dataset.priority === code ? 'true' : 'false');
    });
    document.body.classList.toggle('prio-mode', !!code);
    prioToggle.classList.toggle('on', !!code);
    prioToggle.querySelector('span').textContent = code ? t('kiosk_priority_on', name) : t('kiosk_priority');
  }
  prioToggle.addEventListener('click', function () {
    var open = prioList.hidden;
    prioList.hidden = !open;
    prioToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (!open) setPriority('', '');
  });
  prioList.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-priority]');
    if (!b) return;
    setPriority(b.dataset.priority, b.textContent.trim());
  });

  // --- taking a ticket ---
  choose.addEventListener('click', function (ev) {
    var b = ev.target.closest('.tile[data-service]');
    if (!b || b.disabled || busy) return;
    take(Number(b.dataset.service));
  });

  function take(serviceID) {
    busy = true;
    setTilesEnabled();
    errBanner.hidden = true;
    q.api('POST', '/halls/' + hall.id + '/tickets', { service: serviceID, priority: priority })
      .then(function (r) { showTicket(r.data); })
      .catch(function (e) { showError(e.message); })
      .then(function () { busy = false; setTilesEnabled(); });
  }

  function materialLine(m) {
    var kind = m.original ? t('kiosk_original') : t('kiosk_copy');
    var en = q.lang === 'en';
    var note = kind + (m.copies > 1 ? (en ? ', ' : '，') + t('kiosk_copies', m.copies) : '') + (m.when ? (en ? '; ' : '；') + m.when : '');
    var li = el('li', null, m.name, ' ', el('small', null, en ? '(' + note + ')' : '（' + note + '）'));
    return li;
  }

  function showTicket(tk) {
    var svc = services[tk.service] || { name: tk.service_name, materials: [] };
    var ahead = Math.max(0, (tk.position || 1) - 1);
    document.getElementById('ticket-number').textContent = tk.number;
    document.getElementById('tp-service').textContent = svc.name;
    var prio = document.getElementById('tp-prio');
    prio.hidden = !tk.priority;
    prio.textContent = tk.priority ? t('kiosk_priority_on', priorityName || tk.priority) : '';
    document.getElementById('tp-ahead').textContent = t('kiosk_ahead', ahead);
    var waitMin = Math.ceil((tk.estimated_wait_seconds || 0) / 60);
    // With no window open for the service nobody can promise a wait: the ticket says so.
    document.getElementById('tp-wait').textContent = !tk.open_windows ? t('ticket_no_window')
      : waitMin > 0 ? t('kiosk_wait', waitMin) : t('ticket_next_soon');
    document.getElementById('tp-time').textContent = q.fmt(tk.taken_at, hall.tz, { year: 'numeric', month: '2-digit', day: '2-digit' });
    var ol = q.clear(document.getElementById('tp-materials'));
    (svc.materials || []).forEach(function (m) { ol.appendChild(materialLine(m)); });
    document.getElementById('tp-materials-box').hidden = !(svc.materials || []).length;
    var link = document.getElementById('tp-qr-link');
    var path = '/t/' + encodeURIComponent(tk.token);
    link.href = path;
    link.dataset.token = tk.token;
    document.getElementById('tp-qr').src = path + '/qr.png';
    choose.hidden = true;
    prioList.hidden = true;
    prioToggle.setAttribute('aria-expanded', 'false');
    ticketBox.hidden = false;
    window.scrollTo(0, 0);
    if (D.autoprint) setTimeout(function () { window.print(); }, 300);
    startCountdown();
  }

  function startCountdown() {
    var left = D.return_seconds || 30;
    var out = document.getElementById('again-count');
    clearInterval(countdown);
    out.textContent = t('kiosk_back_in', left);
    countdown = setInterval(function () {
      left--;
      out.textContent = t('kiosk_back_in', Math.max(0, left));
      if (left <= 0) reset();
    }, 1000);
  }

  function reset() {
    clearInterval(countdown);
    ticketBox.hidden = true;
    choose.hidden = false;
    setPriority('', '');
    document.getElementById('tp-qr').src = 'data:,';
    document.getElementById('tp-qr-link').dataset.token = '';
    window.scrollTo(0, 0);
  }

  // --- 预约签到: a booking's code gives its ticket (called at the slot time) ---
  var appt = document.getElementById('appt-checkin');
  var apptCode = document.getElementById('appt-code');
  function apptShow(on) {
    appt.hidden = !on;
    choose.hidden = on;
    apptCode.textContent = '';
    errBanner.hidden = true;
    window.scrollTo(0, 0);
  }
  document.getElementById('appt-open').addEventListener('click', function () { apptShow(true); });
  document.getElementById('appt-back').addEventListener('click', function () { apptShow(false); });
  document.getElementById('appt-keypad').addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-key]');
    if (!b || busy) return;
    var k = b.dataset.key, code = apptCode.textContent;
    if (k === 'del') { apptCode.textContent = code.slice(0, -1); return; }
    if (k !== 'ok') { if (code.length < 12) apptCode.textContent = code + k; return; }
    if (!code) return;
    busy = true;
    q.api('POST', '/halls/' + hall.id + '/checkin', { code: code })
      .then(function (r) { appt.hidden = true; showTicket(r.data); })
      .catch(function (e) { showError(e.message); })
      .then(function () { busy = false; });
  });

  q.showTicket = showTicket; // a ticket taken by a notice's code (cases/kiosk_notice.js)
  document.getElementById('btn-again').addEventListener('click', reset);
  document.getElementById('btn-print').addEventListener('click', function () { window.print(); });
  setTilesEnabled();
})();

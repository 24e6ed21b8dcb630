// Citizen page: one's own ticket, live. Reached by the QR code on the ticket.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var hall = D.hall;
  var svcName = {}, winName = {};
  (D.services || []).forEach(function (s) { svcName[s.id] = s.name; });
  (D.windows || []).forEach(function (w) { winName[w.id] = w.name; });
  var $ = function (id) { return document.getElementById(id); };
  var lastState = null;
  var baseTitle = document.title;

  function line(cls) {
    var args = Array.prototype.slice.call(arguments, 1);
    return el('div', { class: 'c-line ' + (cls || '') }, args);
  }
  // strong numbers inside a message: "您前面还有 <strong>3</strong> 人"
  function withNumber(key, n) {
    var parts = t(key, '\u0000').split('\u0000');
    return [parts[0], el('strong', null, n), parts[1] || ''];
  }

  function render(tk) {
    $('c-number').textContent = tk.number;
    $('c-service').textContent = svcName[tk.service] || tk.service_name;
    var s = $('c-state');
    s.textContent = t('state_' + tk.state);
    s.className = 'c-state s-' + tk.state;
    var where = winName[tk.window] || tk.window_name || '';
    var call = $('c-call');
    var info = q.clear($('c-info'));
    call.hidden = true;
    document.title = baseTitle;
    switch (tk.state) {
      case 'waiting':
        if (tk.transfers > 0) {
          var to = svcName[tk.service] || tk.service_name;
          if (tk.target_window) to += ' · ' + (winName[tk.target_window] || '');
          info.appendChild(line('c-moved', t('ticket_transferred', to)));
        }
        var ahead = Math.max(0, (tk.position || 1) - 1);
        if (!tk.open_windows) {
          // No window serves this matter now: no place in line moves, so no promise is made.
          info.appendChild(line('c-nowin', t('ticket_no_window')));
          if (ahead > 0) info.appendChild(line('', withNumber('ticket_position', ahead)));
          break;
        }
        if (ahead === 0) info.appendChild(line('c-soon', t('ticket_next_soon')));
        else info.appendChild(line('', withNumber('ticket_position', ahead)));
        if (tk.estimated_wait_seconds > 0) info.appendChild(line('', withNumber('ticket_wait', Math.ceil(tk.estimated_wait_seconds / 60))));
        break;
      case 'called':
        call.textContent = t('ticket_called', where);
        call.hidden = false;
        document.title = tk.number + ' · ' + t('ticket_called', where);
        if (lastState !== null && lastState !== 'called' && navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
        break;
      case 'serving':
        info.appendChild(line('c-done', t('ticket_serving', where)));
        break;
      case 'done':
        info.appendChild(line('c-done', t('ticket_done')));
        break;
      case 'skipped':
        info.appendChild(line('c-missed', t('ticket_skipped')));
        break;
    }
    $('c-taken').textContent = t('ticket_taken', q.fmt(tk.taken_at, hall.tz, { month: '2-digit', day: '2-digit' }));
    $('c-live').hidden = tk.state === 'done';
    lastState = tk.state;
  }

  var loading = false, again = false;
  function load() {
    if (loading) { again = true; return; }
    loading = true;
    q.api('GET', '/tickets/' + encodeURIComponent(D.token))
      .then(function (r) { render(r.data); })
      .catch(function () { /* keep what is shown; the stream retries */ })
      .then(function () { loading = false; if (again) { again = false; load(); } });
  }

  // Phones vibrate only after the citizen has touched the page: ask for that touch once.
  var vib = $('c-vibrate');
  if (navigator.vibrate && D.ticket.state !== 'done') {
    vib.hidden = false;
    vib.addEventListener('click', function () {
      try { navigator.vibrate(120); } catch (e) { /* not allowed here */ }
      vib.textContent = t('ticket_vibrate_on');
      vib.disabled = true;
      vib.classList.add('on');
    });
  }

  render(D.ticket);
  // Every change in the hall arrives here; re-reading the ticket on each would cost the server a
  // query per phone per change. So: at once when the change calls this ticket, otherwise at most
  // every five seconds (the position and wait change slowly).
  var timer = null, lastFetch = Date.now();
  q.stream(hall.id, function (st) {
    if (lastState === 'done') return;
    var mine = (st.calls || []).some(function (c) { return c.number === D.ticket.number; });
    var wait = mine ? 50 : Math.max(100, 5000 - (Date.now() - lastFetch));
    clearTimeout(timer);
    timer = setTimeout(function () { lastFetch = Date.now(); load(); }, wait);
  });
})();

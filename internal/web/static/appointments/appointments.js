// Appointments (预约): the booking page (pick a service, a day and a slot, give one's details,
// get the code and QR) and the booking's own page (check in, reschedule, cancel).
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var hall = D.hall;
  var $ = function (id) { return document.getElementById(id); };
  var errBox = $('appt-error');
  var service = D.service || 0, day = '', start = '';

  function showError(msg) {
    errBox.textContent = msg;
    errBox.hidden = false;
    errBox.scrollIntoView({ block: 'center' });
  }

  function dayChips(onPick) {
    var box = $('appt-days');
    if (!box) return;
    (D.days || []).forEach(function (d, i) {
      var b = el('button', { type: 'button', class: 'appt-chip', role: 'radio', 'aria-checked': 'false', dataset: { date: d.date } }, d.label);
      box.appendChild(b);
    });
    box.addEventListener('click', function (ev) {
      var b = ev.target.closest('[data-date]');
      if (!b) return;
      box.querySelectorAll('[data-date]').forEach(function (x) { x.setAttribute('aria-checked', x === b ? 'true' : 'false'); });
      day = b.dataset.date;
      onPick();
    });
  }

  // loadSlots lists the day's slots of the service; a full or closed slot cannot be picked.
  function loadSlots(onPick) {
    var box = q.clear($('appt-slots'));
    start = '';
    onPick();
    if (!service || !day) { box.appendChild(el('p', { class: 'muted' }, t('appt_pick_first'))); return; }
    q.api('GET', '/halls/' + hall.id + '/services/' + service + '/slots?date=' + day).then(function (r) {
      var any = false;
      var now = Date.now();
      r.data.forEach(function (s) {
        if (new Date(s.end).getTime() <= now) return; // gone: not worth a button on a phone
        var label = q.fmt(s.start, hall.tz, { hour: '2-digit', minute: '2-digit', hour12: false }).slice(-5);
        var note = s.bookable ? t('appt_left_n', s.available) : (s.available > 0 ? t('appt_closed') : t('appt_full'));
        if (s.bookable) any = true;
        box.appendChild(el('button', { type: 'button', class: 'appt-slot', role: 'radio', 'aria-checked': 'false',
          disabled: s.bookable ? null : 'disabled', dataset: { start: s.start } }, el('b', null, label), el('small', null, note)));
      });
      if (!any) box.appendChild(el('p', { class: 'muted' }, t('appt_no_slots')));
    }).catch(function (e) { showError(e.message); });
  }

  function slotPicker(onPick) {
    $('appt-slots').addEventListener('click', function (ev) {
      var b = ev.target.closest('[data-start]');
      if (!b || b.disabled) return;
      $('appt-slots').querySelectorAll('[data-start]').forEach(function (x) { x.setAttribute('aria-checked', x === b ? 'true' : 'false'); });
      start = b.dataset.start;
      onPick();
    });
  }

  // --- the booking page ---
  var form = $('appt-form');
  if (form) {
    var byID = {};
    (D.services || []).forEach(function (s) { byID[s.id] = s; });
    var noop = function () {};
    dayChips(function () { loadSlots(noop); });
    slotPicker(noop);
    form.addEventListener('change', function (ev) {
      if (ev.target.name !== 'service') return;
      service = Number(ev.target.value);
      $('appt-id-field').hidden = !(byID[service] && byID[service].needs_id);
      loadSlots(noop);
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      errBox.hidden = true;
      if (!service || !start) { showError(t('appt_pick_first')); return; }
      var body = { service: service, start: start, name: form.elements.name.value, phone: form.elements.phone.value };
      if (!$('appt-id-field').hidden) body.id_number = form.elements.id_number.value;
      $('appt-submit').disabled = true;
      q.api('POST', '/halls/' + hall.id + '/appointments', body).then(function (r) {
        var b = r.data;
        $('appt-code').textContent = b.code;
        $('appt-done-what').textContent = (byID[b.service] || {}).name + ' · ' +
          q.fmt(b.start, hall.tz, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
        $('appt-qr').src = '/a/' + encodeURIComponent(b.token) + '/qr.png';
        $('appt-link').href = '/a/' + encodeURIComponent(b.token);
        form.hidden = true;
        $('appt-done').hidden = false;
        window.scrollTo(0, 0);
      }).catch(function (e) {
        showError(e.message);
        if (e.code === 'slot_full') loadSlots(noop);
      }).then(function () { $('appt-submit').disabled = false; });
    });
    return;
  }

  // --- the booking's own page ---
  var base = '/appointments/' + encodeURIComponent(D.token);
  var checkin = $('appt-checkin');
  if (checkin) checkin.addEventListener('click', function () {
    checkin.disabled = true;
    q.api('POST', base + '/checkin').then(function (r) {
      location.href = '/t/' + encodeURIComponent(r.data.token);
    }).catch(function (e) { showError(e.message); checkin.disabled = false; });
  });
  var move = $('appt-move');
  if (move) {
    var ready = function () { move.disabled = !start; };
    dayChips(function () { loadSlots(ready); });
    slotPicker(ready);
    move.addEventListener('click', function () {
      move.disabled = true;
      q.api('POST', base + '/reschedule', { start: start }).then(function () { location.reload(); })
        .catch(function (e) { showError(e.message); ready(); });
    });
  }
  var cancel = $('appt-cancel');
  if (cancel) cancel.addEventListener('click', function () {
    if (!window.confirm(t('appt_cancel_confirm'))) return;
    q.api('DELETE', base).then(function () { location.reload(); }).catch(function (e) { showError(e.message); });
  });
})();

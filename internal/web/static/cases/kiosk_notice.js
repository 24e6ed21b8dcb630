// Kiosk "凭告知书取号": a returning citizen types the code on their one-time notice and gets a
// ticket for the same matter; the case continues where it stopped.
(function () {
  'use strict';
  var q = window.qhall, D = q.data || {};
  var form = document.getElementById('kn-form'), open = document.getElementById('kn-open');
  var code = document.getElementById('kn-code'), err = document.getElementById('kn-err');
  if (!form || !D.hall) return;
  function toggle(on) {
    form.hidden = !on;
    open.setAttribute('aria-expanded', on ? 'true' : 'false');
    err.hidden = true;
    if (on) code.focus(); else code.value = '';
  }
  open.addEventListener('click', function () { toggle(form.hidden); });
  document.getElementById('kn-cancel').addEventListener('click', function () { toggle(false); });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    q.api('POST', '/halls/' + D.hall.id + '/cases/checkin', { code: code.value }).then(function (r) {
      toggle(false);
      if (q.showTicket) q.showTicket(r.data); // the kiosk's own ticket view (kiosk.js)
    }, function (e) { err.textContent = e.message; err.hidden = false; });
  });
})();

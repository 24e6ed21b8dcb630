// Pairing a kiosk: the supervisor types the one-time code; the answer sets the device cookie and
// the kiosk page opens.
(function () {
  'use strict';
  var q = window.qhall, t = q.t;
  var form = document.getElementById('pair-form');
  var errBox = document.getElementById('pair-error');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    errBox.hidden = true;
    var btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    q.api('POST', '/devices/pair', { code: form.code.value.trim() })
      .then(function () {
        btn.textContent = t('pair_done');
        setTimeout(function () { location.href = '/kiosk/' + form.dataset.hall; }, 1200);
      })
      .catch(function (e) {
        errBox.textContent = e.message;
        errBox.hidden = false;
        btn.disabled = false;
        form.code.select();
      });
  });
})();

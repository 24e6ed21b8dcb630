// A supervisor makes a one-time pairing code for a kiosk and reads it out at the kiosk.
(function () {
  'use strict';
  var q = window.qhall, t = q.t;
  var form = document.getElementById('code-form');
  var errBox = document.getElementById('code-error');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    errBox.hidden = true;
    q.api('POST', '/halls/' + form.dataset.hall + '/devices/pairing-codes', { kind: 'kiosk', name: form.name.value.trim() })
      .then(function (r) {
        var code = r.data.code;
        document.getElementById('code').textContent = code.slice(0, 4) + ' ' + code.slice(4);
        document.getElementById('code-until').textContent = t('devices_code_until', q.fmt(r.data.expires_at));
        document.getElementById('code-out').hidden = false;
      })
      .catch(function (e) {
        errBox.textContent = e.message;
        errBox.hidden = false;
      });
  });
})();

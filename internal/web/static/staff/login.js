// Sign-in: POST the form as JSON, then go where the staff member works.
(function () {
  'use strict';
  var q = window.qhall;
  var form = document.getElementById('login-form');
  var errBox = document.getElementById('login-error');
  var next = (q.data && q.data.next) || '';
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    errBox.hidden = true;
    var btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    q.api('POST', '/auth/login', { username: form.username.value.trim(), password: form.password.value })
      .then(function (r) {
        var s = r.data.staff || {};
        var dest = next;
        if (!dest) {
          if (s.role === 'clerk') dest = '/counter?mine=1'; // straight to one's own window
          else if (s.role === 'supervisor' && s.hall_id) dest = '/supervisor/' + s.hall_id;
          else if (s.role === 'handler' && s.hall_id) dest = '/cases/' + s.hall_id; // a department's work list
          else dest = '/';
        }
        location.href = dest;
      })
      .catch(function (e) {
        errBox.textContent = e.message;
        errBox.hidden = false;
        btn.disabled = false;
        form.password.select();
      });
  });
})();

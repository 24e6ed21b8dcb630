// The case of the citizen's ticket, when it has one: its state, due date and notice.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, D = q.data || {};
  var box = document.getElementById('c-case');
  if (!box || !D.token) return;
  function load() {
    q.api('GET', '/tickets/' + encodeURIComponent(D.token) + '/case').then(function (r) {
      var c = r.data;
      box.hidden = !c;
      if (!c) return;
      document.getElementById('c-case-number').textContent = c.number;
      var st = document.getElementById('c-case-state');
      st.textContent = t('case_state_' + c.state);
      st.className = 'tag case-state case-state-' + c.state;
      document.getElementById('c-case-due').textContent = c.due && c.due !== '0000-00-00' ? t('case_due', c.due) : '';
      var a = document.getElementById('c-case-notice');
      a.hidden = !c.notice;
      if (c.notice) a.href = '/notice/' + encodeURIComponent(c.notice.code);
    }).catch(function () {});
  }
  load();
  setInterval(load, 30000);
})();

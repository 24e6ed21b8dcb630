// Feedback figures of a month: ratings by level, rating rate, satisfaction (two definitions),
// bad ratings; rectifications, complaints and call-back surveys; the windows ranked.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data, hall = D.hall;
  var $ = function (id) { return document.getElementById(id); };
  function pct(x) { return (Math.round(x * 1000) / 10) + '%'; }
  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

  var now = new Date();
  $('fb-month').value = now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0');

  function rowsTable(rows, first) {
    var head = el('tr', null, el('th', null, first), el('th', null, t('fb_served')), el('th', null, t('fb_rated')),
      [5, 4, 3, 2, 1].map(function (l) { return el('th', { title: t('fb_level_' + l) }, l + '\u2605'); }),
      el('th', null, t('fb_rating_rate')), el('th', null, t('fb_sat45')), el('th', null, t('fb_sat35')), el('th', null, t('fb_bad')));
    var body = el('tbody');
    rows.forEach(function (r) {
      body.appendChild(el('tr', null, el('td', null, r.name || '—'), el('td', null, r.served), el('td', null, r.rated),
        [5, 4, 3, 2, 1].map(function (l) { return el('td', null, r.by_level[l]); }),
        el('td', null, pct(r.rating_rate)), el('td', null, pct(r.sat45)), el('td', null, pct(r.sat35)),
        el('td', { class: r.bad ? 'fb-badnum' : '' }, r.bad)));
    });
    return el('table', { class: 'fb-table fb-num' }, el('thead', null, head), body);
  }
  function stat(label, value, target) {
    return el('div', { class: 'fb-stat' }, el('div', { class: 'fb-stat-v' }, value), el('div', { class: 'fb-stat-l' }, label),
      target ? el('div', { class: 'muted small' }, target) : null);
  }
  function counts(m, name) {
    var ul = el('ul', { class: 'fb-counts' });
    Object.keys(m).sort().forEach(function (k) { ul.appendChild(el('li', null, name(k), ' ', el('strong', null, m[k]))); });
    return ul;
  }

  function load() {
    var p = $('fb-month').value.split('-');
    var y = +p[0], m = +p[1];
    if (!y || !m) return;
    var from = p[0] + '-' + p[1] + '-01', to = p[0] + '-' + p[1] + '-' + String(lastDay(y, m)).padStart(2, '0');
    var by = $('fb-by').value;
    q.api('GET', '/halls/' + hall.id + '/feedback-figures?from=' + from + '&to=' + to + '&by=' + by).then(function (r) {
      var f = r.data, box = q.clear($('fb-figs'));
      var tot = f.total;
      box.appendChild(el('div', { class: 'fb-stats card' }, stat(t('fb_rated'), tot.rated), stat(t('fb_rating_rate'), pct(tot.rating_rate)),
        stat(t('fb_sat45'), pct(tot.sat45)), stat(t('fb_sat35'), pct(tot.sat35)), stat(t('fb_bad'), tot.bad)));
      box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_by_' + f.by)), rowsTable(f.rows, t('fb_by_' + f.by))));
      if (!D.whole) return;
      var rf = f.rectifications;
      box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_tab_rect')), el('div', { class: 'fb-stats' },
        stat(t('fb_opened'), rf.opened), stat(t('fb_contact_rate'), pct(rf.contact_on_time_rate)), stat(t('fb_rectify_rate'), pct(rf.rectify_on_time_rate)),
        stat(t('fb_callback_rate'), pct(rf.callback_rate), t('fb_callback_target')),
        stat(t('fb_appeals'), rf.appeals, t('fb_dec_upheld') + ' ' + rf.appeals_upheld + ' · ' + t('fb_dec_rejected') + ' ' + rf.appeals_rejected))));
      var cf = f.complaints;
      box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_tab_complaint')), el('div', { class: 'fb-stats' },
        stat(t('fb_total'), cf.total), stat(t('fb_upheld'), cf.upheld), stat(t('fb_closed'), cf.closed),
        stat(t('fb_mean_close'), (Math.round(cf.mean_days_to_close * 10) / 10) + ' ' + t('fb_days'))),
      el('div', { class: 'fb-two' }, el('div', null, el('h3', null, t('fb_class')), counts(cf.by_class, function (k) { return t('fb_class_' + k); })),
        el('div', null, el('h3', null, t('fb_topic')), counts(cf.by_topic, function (k) { return t('fb_topic_' + k); })))));
      var sf = f.surveys;
      box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_tab_survey')), el('div', { class: 'fb-stats' },
        stat(t('fb_survey_done'), sf.done), stat(t('fb_unreachable'), sf.unreachable), stat(t('fb_sat45'), pct(sf.sat45)))));
      var rk = el('ol', { class: 'fb-rank' });
      (f.window_ranking || []).forEach(function (w) {
        rk.appendChild(el('li', null, w.name, ' · ', pct(w.sat45), ' · ', t('fb_rated'), ' ', w.rated));
      });
      box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_ranking')), rk));
    }, function (x) { q.clear($('fb-figs')).appendChild(el('p', { class: 'error-msg' }, x.message)); });
  }
  $('fb-month').addEventListener('change', load);
  $('fb-by').addEventListener('change', load);
  $('fb-period').addEventListener('submit', function (e) { e.preventDefault(); load(); });
  load();
})();

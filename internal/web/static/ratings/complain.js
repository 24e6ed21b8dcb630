// Complaints (投诉) for citizens: the web form, and the follow-up page of one's own complaint
// (its steps, the result, and one's opinion of it: not satisfied reopens it once).
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var $ = function (id) { return document.getElementById(id); };

  function complainForm() {
    var sel = $('fb-topic');
    sel.appendChild(el('option', { value: '' }, '—'));
    D.codes.topics.forEach(function (c) { sel.appendChild(el('option', { value: c }, t('fb_topic_' + c))); });
    // Staff taking a complaint for a citizen say how it came; a citizen's own is from the web.
    var channel = $('fb-channel');
    if (D.staff) {
      D.codes.channels.forEach(function (c) { channel.appendChild(el('option', { value: c }, t('fb_channel_' + c))); });
      channel.value = 'onsite';
      $('fb-channel-row').hidden = false;
    }
    $('fb-complain').addEventListener('submit', function (e) {
      e.preventDefault();
      var err = $('fb-err');
      err.hidden = true;
      var body = { channel: D.staff ? channel.value : 'web', topic: sel.value, text: $('fb-text').value, contact_name: $('fb-name').value, contact_phone: $('fb-phone').value };
      if (D.ticket) body.ticket_token = D.ticket;
      q.api('POST', '/halls/' + D.hall.id + '/complaints', body).then(function (r) {
        $('fb-complain').hidden = true;
        var link = '/c/' + encodeURIComponent(r.data.token);
        var done = q.clear($('fb-done'));
        done.appendChild(el('h2', null, t('fb_complain_done')));
        done.appendChild(el('p', null, t('fb_complain_code'), ' ', el('strong', { class: 'fb-code' }, r.data.code)));
        done.appendChild(el('p', { class: 'muted' }, t('fb_complain_keep')));
        done.appendChild(el('a', { class: 'btn btn-primary btn-block', href: link, id: 'fb-follow' }, t('fb_complain_follow')));
        done.hidden = false;
      }, function (x) { err.textContent = x.message; err.hidden = false; });
    });
  }

  function followPage() {
    var box = $('fb-complaint');
    function render(c) {
      q.clear(box);
      box.appendChild(el('div', { class: 'c-card fb-ccard' },
        el('div', { class: 'c-label' }, t('fb_complain_code')),
        el('div', { class: 'fb-code-big' }, c.code),
        el('div', { class: 'c-state fb-s-' + c.state, id: 'fb-cstate' }, t('fb_cstate_' + c.state))));
      var facts = el('dl', { class: 'fb-facts card' },
        el('dt', null, t('fb_topic')), el('dd', null, t('fb_topic_' + c.topic)),
        el('dt', null, t('fb_received')), el('dd', null, c.received_day),
        c.due ? [el('dt', null, t('fb_due')), el('dd', null, c.due)] : null,
        el('dt', null, t('fb_contact')), el('dd', null, [c.contact_name, c.contact_phone].filter(Boolean).join(' ') || '—'),
        el('dt', null, t('fb_complain_text')), el('dd', { class: 'fb-text' }, c.text));
      box.appendChild(facts);
      if (c.result) box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_result')), el('p', { id: 'fb-result' }, c.result)));
      if (c.opinion_wanted) {
        var note = el('textarea', { rows: 3, maxlength: 1000, id: 'fb-opinion-text' });
        var err = el('p', { class: 'error-msg', role: 'alert', hidden: true });
        var send = function (ok) {
          return function () {
            q.api('POST', '/complaints/' + encodeURIComponent(D.token) + '/opinion', { satisfied: ok, text: note.value }).then(function (r) {
              render(r.data);
            }, function (x) { err.textContent = x.message; err.hidden = false; });
          };
        };
        box.appendChild(el('div', { class: 'card fb-opinion' }, el('h2', null, t('fb_opinion_ask')),
          el('label', { for: 'fb-opinion-text' }, t('fb_opinion_note')), note,
          el('div', { class: 'fb-buttons' },
            el('button', { class: 'btn btn-primary', type: 'button', id: 'fb-satisfied', onclick: send(true) }, t('fb_satisfied')),
            el('button', { class: 'btn', type: 'button', id: 'fb-unsatisfied', onclick: send(false) }, t('fb_unsatisfied'))),
          c.reopens > 0 ? el('p', { class: 'muted small' }, t('fb_reopen_last')) : null, err));
      }
      var steps = el('ol', { class: 'fb-history' });
      c.history.forEach(function (s) {
        steps.appendChild(el('li', null, el('span', { class: 'muted' }, q.fmt(s.at, null, { month: '2-digit', day: '2-digit' })), ' ',
          t('fb_cstate_' + s.to)));
      });
      box.appendChild(el('div', { class: 'card' }, el('h2', null, t('fb_history')), steps));
    }
    render(D.complaint);
  }

  if (D.complaint) followPage(); else complainForm();
})();

// Display board (叫号屏): the latest call, recent calls and every window, live; each new call is
// spoken aloud once.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data;
  var hall = D.hall;
  var winName = {};
  (D.windows || []).forEach(function (w) { winName[w.number] = w.name; });
  function nameOf(c) { return winName[c.window_number] || c.window_name; }
  // On a window's tile its number stands large; the name without it says what it serves.
  function shortName(w) {
    var n = winName[w.number] || w.name;
    if (/^Window \d+$/.test(n)) return '';
    return n.replace(new RegExp('^' + w.number + '\\s*[号號]'), '');
  }

  var latestBox = document.getElementById('latest');
  var latestNum = document.getElementById('latest-number');
  var latestText = document.getElementById('latest-text');
  var recent = document.getElementById('recent');
  var windows = document.getElementById('windows');
  var waiting = document.getElementById('board-waiting');

  // --- clock ---
  var clockTime = document.getElementById('clock-time'), clockDate = document.getElementById('clock-date');
  function tick() {
    var now = new Date();
    clockTime.textContent = q.fmt(now, hall.tz, { second: '2-digit' });
    clockDate.textContent = q.fmt(now, hall.tz, { hour: undefined, minute: undefined, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
  }
  tick(); setInterval(tick, 1000);

  // --- speech ---
  // Browsers speak only after a person has touched the page once, unless the display was started
  // with an autoplay policy that needs no gesture (see the README): then the audio context runs
  // at once and the board speaks without asking.
  var soundOn = false;
  var synth = window.speechSynthesis;
  var overlay = document.getElementById('sound-overlay');
  var audio = null;
  window.qhallSpoken = []; // what the board announced, in order (read by the browser test)
  function unlock() {
    soundOn = true;
    overlay.hidden = true;
    document.body.dataset.sound = 'on';
    try { var u = new SpeechSynthesisUtterance(' '); u.volume = 0; synth.speak(u); } catch (e) { /* unlock only */ }
  }
  if (D.sound && synth) {
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
    var allowed = audio && audio.state === 'running';
    if (!allowed && navigator.userActivation && navigator.userActivation.hasBeenActive) allowed = true;
    if (allowed) {
      unlock();
    } else {
      overlay.hidden = false;
      overlay.addEventListener('click', function () {
        if (audio && audio.resume) audio.resume();
        if (!audio) { try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; } }
        unlock();
      });
      // The policy may allow sound a moment later (the context starts running by itself).
      if (audio) audio.onstatechange = function () { if (audio.state === 'running' && !soundOn) unlock(); };
    }
  }

  var ZH_DIGITS = '零一二三四五六七八九';
  // spell reads "A012" as "A零一二" (zh) or "A 0 1 2" (en), so a voice never says "A twelve".
  function spell(number) {
    if (D.speech_lang.indexOf('zh') === 0) {
      return number.replace(/[0-9]/g, function (d) { return ZH_DIGITS[Number(d)]; });
    }
    return number.split('').join(' ');
  }
  function chime() {
    if (!audio) return 0;
    try {
      var now = audio.currentTime;
      [[880, 0], [660, 0.32]].forEach(function (p) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = p[0]; o.type = 'sine';
        g.gain.setValueAtTime(0.0001, now + p[1]);
        g.gain.exponentialRampToValueAtTime(0.35, now + p[1] + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, now + p[1] + 0.3);
        o.connect(g); g.connect(audio.destination);
        o.start(now + p[1]); o.stop(now + p[1] + 0.32);
      });
      return 700;
    } catch (e) { return 0; }
  }
  function announce(c) {
    var text = t('display_speech', spell(c.number), c.window_number);
    window.qhallSpoken.push(text);
    if (!soundOn || !synth) return;
    var wait = chime();
    setTimeout(function () {
      var u = new SpeechSynthesisUtterance(text);
      u.lang = D.speech_lang; u.rate = 0.9;
      synth.speak(u);
    }, wait);
  }

  // Only calls made after the board connected are spoken: on the first state every call already
  // on the list is old. After a reconnect, calls missed while offline are spoken if still fresh.
  var lastSeen = null;
  function speakNew(st) {
    var calls = st.calls || [];
    var max = calls.reduce(function (m, c) { return Math.max(m, c.id); }, 0);
    if (lastSeen === null) { lastSeen = max; return false; }
    var at = Date.parse(st.at);
    var fresh = calls.filter(function (c) { return c.id > lastSeen && at - Date.parse(c.at) < 60000; })
      .sort(function (a, b) { return a.id - b.id; });
    lastSeen = Math.max(lastSeen, max);
    fresh.forEach(announce);
    return fresh.length > 0;
  }

  var svcName = {};
  (D.services || []).forEach(function (x) { svcName[x.id] = x.name; });
  var queues = document.getElementById('svc-queues');
  var missed = document.getElementById('missed');

  function numberCell(c) {
    return el('span', { class: 'r-num' }, c.number, c.priority ? el('span', { class: 'r-prio' }, t('display_priority')) : null);
  }

  function render(st) {
    waiting.textContent = t('display_waiting', st.waiting || 0);
    var calls = st.calls || [];
    // The big panel shows only a call that still stands: a ticket skipped, finished or
    // transferred is no longer called to that window.
    var c = calls.filter(function (x) { return x.current; })[0];
    latestBox.classList.toggle('idle', !c);
    if (c) {
      latestNum.textContent = c.number;
      latestText.textContent = t('display_now', c.number, nameOf(c));
      if (c.priority) latestText.prepend(el('span', { class: 'r-prio latest-prio' }, t('display_priority')));
    } else {
      latestNum.textContent = '—';
      latestText.textContent = calls.length ? t('display_watch') : t('display_no_calls');
    }
    q.clear(recent);
    calls.slice(0, 6).forEach(function (c) {
      var mark = null;
      if (c.state === 'skipped') mark = el('span', { class: 'r-kind r-missed' }, t('display_missed'));
      else if (c.kind === 'recall') mark = el('span', { class: 'r-kind' }, t('display_recall'));
      recent.appendChild(el('li', { class: c.state === 'skipped' ? 'r-skipped' : (c.current ? 'r-current' : '') },
        numberCell(c),
        el('span', { class: 'r-win' }, nameOf(c), mark),
        el('span', { class: 'r-time' }, q.fmt(c.at, hall.tz))));
    });
    if (!calls.length) recent.appendChild(el('li', { class: 'recent-empty' }, t('display_no_calls')));
    var m = st.missed || [];
    missed.hidden = !m.length;
    q.clear(missed);
    if (m.length) missed.append(el('span', { class: 'missed-label' }, t('display_missed_list')), ' ', el('span', { class: 'missed-nums' }, m.slice(0, 8).join('  ')));
    // Show only the rows that fit whole: a row cut in half reads as a wrong number.
    var box = recent.getBoundingClientRect();
    while (recent.children.length > 1 && recent.lastChild.getBoundingClientRect().bottom > box.bottom + 0.5) recent.removeChild(recent.lastChild);
    q.clear(queues);
    (st.services || []).filter(function (x) { return x.waiting > 0; }).forEach(function (x) {
      queues.appendChild(el('li', { dataset: { prefix: x.prefix } }, el('strong', null, x.prefix), ' ', t('display_queue', svcName[x.id] || x.name, x.waiting)));
    });
    queues.hidden = !queues.children.length;
    q.clear(windows);
    (st.windows || []).forEach(function (w) {
      var cls = 'win-closed', label = t('display_closed');
      if (w.state === 'paused') {
        cls = 'win-paused';
        label = q.zero(w.pause_until) ? t('display_paused') : t('display_paused_until', q.fmt(w.pause_until, hall.tz));
      } else if (w.state === 'open' && w.current) { cls = 'win-serving'; label = w.current; }
      else if (w.state === 'open') { cls = 'win-free'; label = t('display_free'); }
      windows.appendChild(el('li', { class: 'win ' + cls, dataset: { window: w.number } },
        el('span', { class: 'win-no' }, w.number),
        el('span', { class: 'win-name' }, shortName(w)),
        el('span', { class: 'win-state' }, label,
          w.state === 'open' && w.current && w.current_priority ? el('span', { class: 'r-prio' }, t('display_priority')) : null)));
    });
  }

  q.stream(hall.id, function (st) {
    render(st);
    if (speakNew(st)) {
      latestBox.classList.remove('flash');
      void latestBox.offsetWidth; // restart the animation
      latestBox.classList.add('flash');
    }
  });
})();

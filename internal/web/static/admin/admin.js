// The back office (后台管理): halls, services with their materials, windows and their service
// order, staff, priority classes, a hall's calendar and its finder. Every change goes through
// the admin API, which checks, writes and audits it; this script only draws and asks.
(function () {
  'use strict';
  var q = window.qhall, t = q.t, el = q.el;
  var D = q.data || {};
  var hall = D.hall;
  var root = document.getElementById('admin-root');
  var actions = document.getElementById('admin-actions');
  var msg = document.getElementById('admin-msg');
  var msgTimer = null;

  var picker = document.getElementById('admin-hall');
  if (picker) picker.addEventListener('change', function () { location.search = '?hall=' + encodeURIComponent(picker.value); });

  function showMsg(text, ok) {
    msg.textContent = text;
    msg.className = 'banner ' + (ok ? 'banner-ok' : 'banner-error');
    msg.hidden = false;
    clearTimeout(msgTimer);
    msgTimer = setTimeout(function () { msg.hidden = true; }, ok ? 3000 : 8000);
  }
  function fail(e) { showMsg(e.message); }
  function nameOf(list, code) {
    var x = (list || []).filter(function (c) { return c.code === code; })[0];
    return x ? x.name : code;
  }
  function btn(label, onclick, cls, data) {
    return el('button', { type: 'button', class: 'btn ' + (cls || 'btn-quiet'), onclick: onclick, dataset: data || {} }, label);
  }
  function stateTag(active) {
    return el('span', { class: 'tag ' + (active ? 'tag-ok' : '') }, active ? t('admin_active') : t('admin_retired'));
  }
  function table(heads, rows) {
    return el('div', { class: 'table-wrap' }, el('table', { class: 'table admin-table' },
      el('thead', null, el('tr', null, heads.map(function (h) { return el('th', { scope: 'col' }, h); }))),
      el('tbody', null, rows)));
  }
  // setActive asks the API to retire (or bring back) a thing after the admin confirms.
  function setActive(path, active, label, done) {
    if (!active && !confirm(t('admin_retire_confirm', label))) return;
    q.api('PUT', path + '/active', { active: active }).then(function () {
      showMsg(active ? t('admin_restored') : t('admin_retired_ok'), true); done();
    }).catch(fail);
  }

  // --- the edit dialog, built from a list of fields ---
  var dlg = document.getElementById('admin-dlg');
  var form = document.getElementById('admin-form');
  var fieldsBox = document.getElementById('admin-fields');
  var formErr = document.getElementById('admin-form-error');
  var onSave = null, getters = {};
  dlg.querySelector('[data-close]').addEventListener('click', function () { dlg.close(); });

  // field: {name, label, type: text|number|textarea|select|check|materials|password, options, req, hint}
  function input(f, v) {
    var id = 'f-' + f.name;
    if (f.type === 'check') {
      var c = el('input', { type: 'checkbox', id: id, name: f.name });
      c.checked = !!v;
      getters[f.name] = function () { return c.checked; };
      return el('label', { class: 'check' }, c, el('span', null, f.label));
    }
    if (f.type === 'materials') return materialsEditor(f, v || []);
    var n;
    if (f.type === 'textarea') n = el('textarea', { id: id, name: f.name, rows: f.rows || 3 });
    else if (f.type === 'select') {
      n = el('select', { id: id, name: f.name }, f.options.map(function (o) { return el('option', { value: o.code }, o.name); }));
    } else n = el('input', { id: id, name: f.name, type: f.type || 'text', autocomplete: 'off', required: !!f.req, maxlength: f.max || null,
      placeholder: f.ph || null, min: f.type === 'number' ? 0 : null });
    n.value = v === undefined || v === null ? '' : v;
    getters[f.name] = function () { return f.type === 'number' ? (n.value === '' ? 0 : Number(n.value)) : n.value.trim(); };
    return el('div', { class: 'admin-field' + (f.wide ? ' wide' : '') }, el('label', { for: id }, f.label, f.req ? ' *' : ''), n,
      f.hint ? el('div', { class: 'small muted' }, f.hint) : null);
  }

  // materialsEditor: one row per material (name, original or copy, copies, when, issuer), in order.
  function materialsEditor(f, list) {
    var rows = list.map(function (m) { return Object.assign({}, m); });
    var box = el('div', { class: 'mat-editor wide' });
    function draw() {
      q.clear(box);
      box.appendChild(el('div', { class: 'mat-head' }, el('strong', null, f.label),
        btn(t('admin_add_material'), function () { rows.push({ name: '', original: true, copies: 1 }); draw(); box.querySelector('.mat-row:last-child input').focus(); }, 'btn', { add: 'material' })));
      if (!rows.length) box.appendChild(el('p', { class: 'muted small' }, t('admin_no_materials')));
      rows.forEach(function (m, i) {
        function bind(n, key, kind) {
          n.addEventListener('input', function () { m[key] = kind === 'num' ? Number(n.value) : kind === 'bool' ? n.value === '1' : n.value; });
          return n;
        }
        var orig = el('select', { 'aria-label': t('admin_m_form') }, el('option', { value: '1' }, t('kiosk_original')), el('option', { value: '0' }, t('kiosk_copy')));
        orig.value = m.original ? '1' : '0';
        box.appendChild(el('div', { class: 'mat-row', dataset: { row: i } },
          el('span', { class: 'mat-n' }, i + 1),
          bind(el('input', { value: m.name || '', placeholder: t('admin_m_name'), 'aria-label': t('admin_m_name'), class: 'mat-name', maxlength: 100 }), 'name'),
          bind(orig, 'original', 'bool'),
          bind(el('input', { type: 'number', min: 0, max: 20, value: m.copies, 'aria-label': t('guide_copies'), class: 'mat-copies' }), 'copies', 'num'),
          bind(el('input', { value: m.required_when || '', placeholder: t('admin_m_when'), 'aria-label': t('admin_m_when') }), 'required_when'),
          bind(el('input', { value: m.issuer || '', placeholder: t('admin_m_issuer'), 'aria-label': t('admin_m_issuer') }), 'issuer'),
          el('span', { class: 'mat-tools' },
            btn('↑', function () { if (i > 0) { rows.splice(i - 1, 0, rows.splice(i, 1)[0]); draw(); } }, 'btn-quiet', { title: t('admin_up') }),
            btn('↓', function () { if (i < rows.length - 1) { rows.splice(i + 1, 0, rows.splice(i, 1)[0]); draw(); } }, 'btn-quiet', { title: t('admin_down') }),
            btn('✕', function () { rows.splice(i, 1); draw(); }, 'btn-quiet', { title: t('admin_remove') }))));
      });
    }
    draw();
    getters[f.name] = function () {
      return rows.map(function (m) {
        return { name: (m.name || '').trim(), original: !!m.original, copies: Number(m.copies) || 0, required_when: (m.required_when || '').trim(), issuer: (m.issuer || '').trim() };
      });
    };
    return box;
  }

  function openForm(title, fields, values, save, wide) {
    q.clear(fieldsBox);
    getters = {};
    fields.forEach(function (f) { fieldsBox.appendChild(input(f, values[f.name])); });
    document.getElementById('admin-dlg-h').textContent = title;
    formErr.hidden = true;
    dlg.classList.toggle('admin-dlg-wide', !!wide);
    onSave = save;
    dlg.showModal();
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var out = {};
    Object.keys(getters).forEach(function (k) { out[k] = getters[k](); });
    onSave(out).then(function () { dlg.close(); showMsg(t('admin_saved'), true); }).catch(function (e) {
      formErr.textContent = e.message; formErr.hidden = false;
    });
  });

  var sections = {};

  // --- halls ---
  sections.halls = function load() {
    var fields = [
      { name: 'number', label: t('admin_h_number'), type: 'number', req: true }, { name: 'name', label: t('admin_name'), req: true, max: 100 },
      { name: 'name_en', label: t('admin_name_en') }, { name: 'timezone', label: t('admin_h_tz'), ph: 'Asia/Shanghai' },
      { name: 'open_time', label: t('admin_h_open'), ph: '09:00' }, { name: 'close_time', label: t('admin_h_close'), ph: '17:00' },
      { name: 'weekdays', label: t('admin_h_weekdays'), ph: '12345', hint: t('admin_h_weekdays_hint') },
      { name: 'always_open', label: t('admin_h_always'), type: 'check' },
      { name: 'address', label: t('guide_address'), wide: true, max: 300 }, { name: 'address_en', label: t('admin_h_address_en'), wide: true },
      { name: 'phone', label: t('guide_phone') }, { name: 'hours_note', label: t('admin_h_hours_note'), ph: '法定节假日休息' },
      { name: 'max_recalls', label: t('admin_h_recalls'), type: 'number' }, { name: 'priority_streak', label: t('admin_h_streak'), type: 'number' },
      { name: 'free_pause_minutes', label: t('admin_h_pause'), type: 'number' }, { name: 'peak_waiting', label: t('admin_h_peak'), type: 'number' },
      { name: 'long_wait_minutes', label: t('admin_h_long'), type: 'number' }, { name: 'target_wait_minutes', label: t('admin_h_target'), type: 'number' }];
    actions.replaceChildren(btn(t('admin_new_hall'), function () {
      openForm(t('admin_new_hall'), fields, {}, function (v) { return q.api('POST', '/admin/halls', v).then(load); }, true);
    }, 'btn-primary'));
    q.api('GET', '/admin/halls').then(function (r) {
      root.replaceChildren(table([t('admin_h_number'), t('admin_name'), t('guide_hours'), t('guide_address'), t('admin_state'), ''],
        r.data.map(function (h) {
          return el('tr', null, el('td', null, h.number), el('td', null, h.name), el('td', null, h.always_open ? '24h' : h.open_time + '–' + h.close_time + ' · ' + h.weekdays),
            el('td', null, h.address), el('td', null, stateTag(h.active)),
            el('td', { class: 'row-actions' },
              btn(t('admin_edit'), function () { openForm(h.name, fields, h, function (v) { return q.api('PUT', '/admin/halls/' + h.id, v).then(load); }, true); }),
              btn(h.active ? t('admin_retire') : t('admin_restore'), function () { setActive('/admin/halls/' + h.id, !h.active, h.name, load); })));
        })));
    }).catch(fail);
  };

  // --- services ---
  sections.services = function load() {
    var kinds = D.kinds || [];
    var fields = [
      { name: 'name', label: t('admin_name'), req: true, max: 100 }, { name: 'name_en', label: t('admin_name_en') },
      { name: 'prefix', label: t('admin_s_prefix'), req: true, max: 1, hint: t('admin_s_prefix_hint') },
      { name: 'kind', label: t('admin_s_kind'), type: 'select', options: kinds }, { name: 'category', label: t('admin_s_category') },
      { name: 'time_limit_days', label: t('admin_s_limit'), type: 'number', hint: t('admin_s_limit_hint') },
      { name: 'std_minutes', label: t('admin_s_std'), type: 'number' }, { name: 'daily_cap', label: t('admin_s_cap'), type: 'number' },
      { name: 'alert_waiting', label: t('admin_s_alert'), type: 'number' },
      { name: 'issue_start', label: t('admin_s_issue_start'), ph: '08:30' }, { name: 'issue_end', label: t('admin_s_issue_end'), ph: '16:30' },
      { name: 'fees', label: t('guide_fees'), ph: '免费' }, { name: 'keywords', label: t('admin_s_keywords'), hint: t('admin_s_keywords_hint') },
      { name: 'description', label: t('guide_what'), type: 'textarea', wide: true }, { name: 'conditions', label: t('guide_who'), type: 'textarea', wide: true },
      { name: 'legal_basis', label: t('guide_basis'), type: 'textarea', wide: true, rows: 2 }, { name: 'place_note', label: t('guide_place'), wide: true },
      { name: 'materials', label: t('guide_materials'), type: 'materials' }];
    actions.replaceChildren(btn(t('admin_new_service'), function () {
      openForm(t('admin_new_service'), fields, { kind: 'handle', std_minutes: 10, materials: [] }, function (v) {
        return q.api('POST', '/admin/halls/' + hall + '/services', v).then(load);
      }, true);
    }, 'btn-primary', { new: 'service' }));
    Promise.all([q.api('GET', '/admin/halls/' + hall + '/services'), q.api('GET', '/admin/halls/' + hall + '/windows')]).then(function (res) {
      var r = res[0], served = {};
      // A service no window in service calls would issue tickets nobody calls: say so.
      res[1].data.forEach(function (w) { if (w.active) w.services.forEach(function (id) { served[id] = true; }); });
      root.replaceChildren(table([t('admin_s_prefix'), t('admin_name'), t('admin_s_kind'), t('admin_s_category'), t('admin_s_limit'), t('guide_materials'), t('admin_state'), ''],
        r.data.map(function (s) {
          return el('tr', { dataset: { service: s.id } }, el('td', null, el('span', { class: 'tag tag-info' }, s.prefix)), el('td', null, s.name),
            el('td', null, nameOf(kinds, s.kind)), el('td', null, s.category), el('td', { class: 'num' }, s.time_limit_days),
            el('td', { class: 'num' }, s.materials.length),
            el('td', null, stateTag(s.active), s.active && !served[s.id] ? el('span', { class: 'tag tag-warn', title: t('admin_s_no_window_hint') }, t('admin_s_no_window')) : null),
            el('td', { class: 'row-actions' },
              el('a', { class: 'btn btn-quiet', href: '/guide/' + hall + '/' + s.id, target: '_blank' }, t('admin_view_guide')),
              btn(t('admin_edit'), function () {
                openForm(s.name, fields, s, function (v) { return q.api('PUT', '/admin/services/' + s.id, v).then(load); }, true);
              }),
              btn(s.active ? t('admin_retire') : t('admin_restore'), function () { setActive('/admin/services/' + s.id, !s.active, s.name, load); })));
        })));
    }).catch(fail);
  };

  // --- windows: their services in order of preference ---
  sections.windows = function load() {
    var fields = [{ name: 'number', label: t('admin_w_number'), type: 'number', req: true }, { name: 'name', label: t('admin_name'), req: true, max: 50 }];
    if (D.can_edit_catalogue) {
      actions.replaceChildren(btn(t('admin_new_window'), function () {
        openForm(t('admin_new_window'), fields, {}, function (v) { v.services = []; return q.api('POST', '/admin/halls/' + hall + '/windows', v).then(load); });
      }, 'btn-primary'));
    }
    Promise.all([q.api('GET', '/admin/halls/' + hall + '/windows'), q.api('GET', '/admin/halls/' + hall + '/services')]).then(function (res) {
      var svcs = {}, all = res[1].data;
      all.forEach(function (s) { svcs[s.id] = s; });
      root.replaceChildren(el('div', { class: 'win-grid' }, res[0].data.map(function (w) {
        var order = w.services.slice();
        var list = el('ol', { class: 'win-order' });
        var add = el('select', { 'aria-label': t('admin_w_add') });
        var save = btn(t('admin_save'), function () {
          q.api('PUT', '/admin/windows/' + w.id, { number: w.number, name: w.name, services: order, home_clerk_id: w.home_clerk_id || 0 })
            .then(function () { showMsg(t('admin_saved'), true); load(); }).catch(fail);
        }, 'btn-primary', { save: w.id });
        save.disabled = true;
        function draw() {
          q.clear(list);
          order.forEach(function (id, i) {
            var s = svcs[id] || { prefix: '?', name: id };
            list.appendChild(el('li', { class: s.active === false ? 'retired' : '' },
              el('span', { class: 'tag tag-info' }, s.prefix), ' ', el('span', { class: 'wo-name' }, s.name),
              el('span', { class: 'mat-tools' },
                btn('↑', function () { if (i > 0) { order.splice(i - 1, 0, order.splice(i, 1)[0]); changed(); } }, 'btn-quiet', { up: id }),
                btn('↓', function () { if (i < order.length - 1) { order.splice(i + 1, 0, order.splice(i, 1)[0]); changed(); } }, 'btn-quiet', { down: id }),
                btn('✕', function () { order.splice(i, 1); changed(); }, 'btn-quiet'))));
          });
          q.clear(add).appendChild(el('option', { value: '' }, t('admin_w_add')));
          all.forEach(function (s) { if (s.active && order.indexOf(s.id) < 0) add.appendChild(el('option', { value: s.id }, s.prefix + ' ' + s.name)); });
        }
        function changed() { save.disabled = false; draw(); }
        add.addEventListener('change', function () { if (add.value) { order.push(Number(add.value)); changed(); } });
        draw();
        return el('section', { class: 'card win-card' + (w.active ? '' : ' retired') },
          el('h2', null, w.name, ' ', el('span', { class: 'tag ' + (w.state === 'closed' ? '' : 'tag-open') }, w.state === 'closed' ? t('admin_w_closed') : t('admin_w_open')),
            w.active ? null : stateTag(false)),
          list, add,
          el('div', { class: 'win-actions' }, save,
            btn(t('admin_edit'), function () {
              openForm(w.name, fields, w, function (v) {
                return q.api('PUT', '/admin/windows/' + w.id, { number: v.number, name: v.name, services: order, home_clerk_id: w.home_clerk_id || 0 }).then(load);
              });
            }),
            D.can_edit_catalogue ? btn(w.active ? t('admin_retire') : t('admin_restore'), function () { setActive('/admin/windows/' + w.id, !w.active, w.name, load); }) : null));
      })));
    }).catch(fail);
  };

  // --- priority classes ---
  sections.priority = function load() {
    var fields = [{ name: 'code', label: t('admin_p_code'), req: true, hint: t('admin_p_code_hint') }, { name: 'name', label: t('admin_name'), req: true },
      { name: 'name_en', label: t('admin_name_en') }];
    actions.replaceChildren(btn(t('admin_new_priority'), function () {
      openForm(t('admin_new_priority'), fields, {}, function (v) { return q.api('POST', '/admin/priority-classes', v).then(load); });
    }, 'btn-primary'));
    q.api('GET', '/admin/priority-classes').then(function (r) {
      root.replaceChildren(table([t('admin_p_code'), t('admin_name'), t('admin_name_en'), t('admin_state'), ''], r.data.map(function (p) {
        return el('tr', null, el('td', null, el('code', null, p.code)), el('td', null, p.name), el('td', null, p.name_en), el('td', null, stateTag(p.active)),
          el('td', { class: 'row-actions' },
            btn(t('admin_edit'), function () {
              openForm(p.name, fields.slice(1), p, function (v) { return q.api('PUT', '/admin/priority-classes/' + p.code, v).then(load); });
            }),
            btn(p.active ? t('admin_retire') : t('admin_restore'), function () { setActive('/admin/priority-classes/' + p.code, !p.active, p.name, load); })));
      })));
    }).catch(fail);
  };

  // --- staff: accounts are disabled, never deleted ---
  sections.staff = function load() {
    var roles = D.roles || [], halls = [{ code: '0', name: t('admin_all_halls') }].concat(D.halls || []);
    var fields = [{ name: 'username', label: t('username'), req: true, max: 64 }, { name: 'name', label: t('admin_name'), req: true, max: 50 },
      { name: 'role', label: t('admin_st_role'), type: 'select', options: roles }, { name: 'hall_id', label: t('admin_hall'), type: 'select', options: halls },
      { name: 'password', label: t('password'), type: 'password', req: true, hint: t('admin_st_pw_hint') }];
    function body(v) { return { username: v.username, name: v.name, role: v.role, hall_id: Number(v.hall_id) || 0, password: v.password }; }
    actions.replaceChildren(btn(t('admin_new_staff'), function () {
      openForm(t('admin_new_staff'), fields, { role: 'clerk', hall_id: String(hall || 0) }, function (v) { return q.api('POST', '/admin/staff', body(v)).then(load); });
    }, 'btn-primary'));
    q.api('GET', '/admin/staff').then(function (r) {
      root.replaceChildren(table([t('username'), t('admin_name'), t('admin_st_role'), t('admin_hall'), t('admin_state'), ''], r.data.map(function (m) {
        return el('tr', null, el('td', null, m.username), el('td', null, m.name), el('td', null, nameOf(roles, m.role)),
          el('td', null, nameOf(halls, String(m.hall_id || 0))),
          el('td', null, el('span', { class: 'tag ' + (m.active ? 'tag-ok' : '') }, m.active ? t('admin_active') : t('admin_disabled')),
            m.locked ? el('span', { class: 'tag tag-warn' }, t('admin_st_locked')) : null),
          el('td', { class: 'row-actions' },
            btn(t('admin_edit'), function () {
              openForm(m.username, fields.slice(1, 4), { name: m.name, role: m.role, hall_id: String(m.hall_id || 0) }, function (v) {
                return q.api('PUT', '/admin/staff/' + m.id, { name: v.name, role: v.role, hall_id: Number(v.hall_id) || 0 }).then(load);
              });
            }),
            btn(t('admin_st_reset'), function () {
              openForm(t('admin_st_reset') + ' · ' + m.username, fields.slice(4), {}, function (v) {
                return q.api('PUT', '/admin/staff/' + m.id + '/password', { password: v.password }).then(load);
              });
            }),
            btn(m.active ? t('admin_disable') : t('admin_enable'), function () {
              if (m.active && !confirm(t('admin_disable_confirm', m.username))) return;
              q.api('PUT', '/admin/staff/' + m.id + '/active', { active: !m.active }).then(function () { showMsg(t('admin_saved'), true); load(); }).catch(fail);
            })));
      })));
    }).catch(fail);
  };

  // --- the hall's calendar: a month with the national days and the hall's own ---
  var month = null;
  sections.calendar = function load() {
    var now = new Date();
    var want = /^(\d{4})-(\d{2})$/.exec(new URLSearchParams(location.search).get('month') || '');
    if (!month) month = want ? { y: Number(want[1]), m: Number(want[2]) - 1 } : { y: now.getFullYear(), m: now.getMonth() };
    q.api('GET', '/admin/halls/' + hall + '/calendar?year=' + month.y).then(function (r) {
      var nat = {}, own = {};
      r.data.national.forEach(function (h) { nat[h.day] = h; });
      r.data.days.forEach(function (d) { own[d.day] = d; });
      function pad(n) { return (n < 10 ? '0' : '') + n; }
      function move(d) { month.m += d; if (month.m < 0) { month.m = 11; month.y--; } if (month.m > 11) { month.m = 0; month.y++; } load(); }
      var grid = el('div', { class: 'cal-grid', role: 'grid' });
      (D.weekdays || []).forEach(function (w) { grid.appendChild(el('div', { class: 'cal-wd' }, w)); });
      var first = new Date(month.y, month.m, 1), lead = (first.getDay() + 6) % 7, days = new Date(month.y, month.m + 1, 0).getDate();
      for (var i = 0; i < lead; i++) grid.appendChild(el('div', { class: 'cal-pad' }));
      for (var d = 1; d <= days; d++) {
        (function (d) {
          var key = month.y + '-' + pad(month.m + 1) + '-' + pad(d), wd = new Date(month.y, month.m, d).getDay();
          var n = nat[key], o = own[key];
          var working = o ? o.working : n ? n.working : (wd !== 0 && wd !== 6);
          var cls = 'cal-day ' + (working ? 'work' : 'rest') + (o ? ' own' : '') + (n ? ' nat' : '');
          grid.appendChild(el('button', { type: 'button', class: cls, dataset: { day: key }, onclick: function () { editDay(key, o, n, working); } },
            el('span', { class: 'cal-n' }, d),
            n ? el('span', { class: 'cal-tag' }, (n.working ? t('admin_c_makeup') : t('admin_c_holiday')) + ' ' + n.name) : null,
            o ? el('span', { class: 'cal-tag own' }, (o.working ? t('admin_c_open') : t('admin_c_closed')) + (o.note ? ' ' + o.note : '')) : null));
        })(d);
      }
      root.replaceChildren(
        el('div', { class: 'cal-bar' }, btn('‹', function () { move(-1); }, 'btn', { prev: 1 }),
          el('h2', { class: 'cal-title' }, month.y + ' / ' + pad(month.m + 1)), btn('›', function () { move(1); }, 'btn', { next: 1 }),
          r.data.published ? null : el('span', { class: 'tag tag-warn' }, t('admin_c_unpublished')),
          el('span', { class: 'cal-legend' }, el('i', { class: 'work' }), t('admin_c_work'), el('i', { class: 'rest' }), t('admin_c_rest'), el('i', { class: 'own' }), t('admin_c_own'))),
        grid);
    }).catch(fail);
    function editDay(key, o, n, working) {
      var opts = [{ code: '', name: t('admin_c_follow') }, { code: '0', name: t('admin_c_closed') }, { code: '1', name: t('admin_c_open') }];
      openForm(key + (n ? ' · ' + n.name : ''), [{ name: 'mode', label: t('admin_c_mode'), type: 'select', options: opts },
        { name: 'note', label: t('admin_c_note'), max: 200 }], { mode: o ? (o.working ? '1' : '0') : '', note: o ? o.note : '' }, function (v) {
        if (v.mode === '') return o ? q.api('DELETE', '/admin/halls/' + hall + '/calendar/' + key).then(load) : Promise.resolve();
        return q.api('PUT', '/admin/halls/' + hall + '/calendar/' + key, { working: v.mode === '1', note: v.note }).then(load);
      });
    }
  };

  // --- the finder's tree: answers that ask a further question or end at a service ---
  sections.finder = function load() {
    Promise.all([q.api('GET', '/halls/' + hall + '/finder'), q.api('GET', '/halls/' + hall + '/services')]).then(function (res) {
      var tree = res[0].data, svcs = res[1].data;
      var box = el('div', { class: 'finder-tree' });
      function node(n, siblings, i, depth) {
        var label = el('input', { value: n.label || '', placeholder: t('admin_f_answer'), 'aria-label': t('admin_f_answer'), maxlength: 60 });
        label.addEventListener('input', function () { n.label = label.value; });
        var kind = el('select', { 'aria-label': t('admin_f_leads') }, el('option', { value: 's' }, t('admin_f_to_service')), el('option', { value: 'q' }, t('admin_f_to_question')));
        kind.value = n.children && n.children.length ? 'q' : 's';
        var li = el('li', null, el('div', { class: 'fn-row' }, label, kind,
          el('span', { class: 'mat-tools' },
            btn('↑', function () { if (i > 0) { siblings.splice(i - 1, 0, siblings.splice(i, 1)[0]); draw(); } }),
            btn('↓', function () { if (i < siblings.length - 1) { siblings.splice(i + 1, 0, siblings.splice(i, 1)[0]); draw(); } }),
            btn('✕', function () { siblings.splice(i, 1); draw(); }))));
        if (kind.value === 's') {
          var sel = el('select', { 'aria-label': t('admin_f_to_service') }, el('option', { value: '' }, '—'),
            svcs.map(function (s) { return el('option', { value: s.id }, s.prefix + ' ' + s.name); }));
          sel.value = n.service || '';
          sel.addEventListener('change', function () { n.service = Number(sel.value) || 0; });
          li.firstChild.insertBefore(sel, li.firstChild.lastChild);
        } else {
          var qn = el('input', { value: n.question || '', placeholder: t('admin_f_question'), 'aria-label': t('admin_f_question'), class: 'fn-q', maxlength: 100 });
          qn.addEventListener('input', function () { n.question = qn.value; });
          li.firstChild.insertBefore(qn, li.firstChild.lastChild);
          li.appendChild(level(n.children, depth + 1));
        }
        kind.addEventListener('change', function () {
          if (kind.value === 'q') { n.service = 0; n.children = [{ label: '', service: 0 }]; } else { n.children = []; }
          draw();
        });
        return li;
      }
      function level(list, depth) {
        var ol = el('ol', { class: 'fn-level' });
        list.forEach(function (n, i) { ol.appendChild(node(n, list, i, depth)); });
        if (depth < 5) ol.appendChild(el('li', { class: 'fn-add' }, btn('+ ' + t('admin_f_add'), function () { list.push({ label: '', service: 0 }); draw(); })));
        return ol;
      }
      function draw() { box.replaceChildren(el('p', { class: 'fn-first' }, t('finder_first_question')), level(tree, 1)); }
      function clean(list) {
        return list.map(function (n) {
          var c = n.children && n.children.length ? clean(n.children) : [];
          return c.length ? { label: (n.label || '').trim(), question: (n.question || '').trim(), children: c } : { label: (n.label || '').trim(), service: n.service || 0 };
        });
      }
      actions.replaceChildren(
        el('a', { class: 'btn', href: '/finder/' + hall, target: '_blank' }, t('admin_f_try')),
        btn(t('admin_save'), function () {
          q.api('PUT', '/admin/halls/' + hall + '/finder', clean(tree)).then(function (r) { tree = r.data; draw(); showMsg(t('admin_saved'), true); }).catch(fail);
        }, 'btn-primary'));
      draw();
      root.replaceChildren(box);
    }).catch(fail);
  };

  if (sections[D.section]) sections[D.section]();
})();

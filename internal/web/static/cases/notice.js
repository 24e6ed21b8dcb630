// One-time notice (一次性告知书): the print button (the page itself is server-rendered).
(function () {
  'use strict';
  document.querySelectorAll('[data-print]').forEach(function (b) { b.addEventListener('click', function () { window.print(); }); });
})();

/* The Morning Ledger - consent banner and small helpers */
(function () {
  'use strict';
  var KEY = 'ml_consent_v2';
  function hideBanner() {
    var el = document.getElementById('cookie-banner');
    if (el) { el.style.display = 'none'; }
  }
  document.addEventListener('DOMContentLoaded', function () {
    if (window.localStorage && localStorage.getItem(KEY)) { hideBanner(); }
    document.querySelectorAll('[data-consent]').forEach(function (btn) {
      btn.addEventListener('click', function () {
        try { localStorage.setItem(KEY, btn.getAttribute('data-consent')); } catch (e) {}
        hideBanner();
      });
    });
  });
})();

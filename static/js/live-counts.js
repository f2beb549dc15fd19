// Live counts in the navigation (我的待办, 单位待领, 通知): polls the counts
// every data-live-seconds seconds without reloading the page. A static file,
// so the Content-Security-Policy (script-src 'self') holds.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-live-counts");
  var seconds = parseInt(body.getAttribute("data-live-seconds"), 10) || 20;
  if (!url || !window.fetch) { return; }

  function show(counts) {
    ["inbox", "queue", "unread"].forEach(function (name) {
      document.querySelectorAll('[data-live-count="' + name + '"]').forEach(function (badge) {
        var value = counts[name] || 0;
        badge.textContent = String(value);
        badge.hidden = value === 0;
      });
    });
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) { if (counts) { show(counts); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  poll();
  window.setInterval(poll, seconds * 1000);
  document.addEventListener("visibilitychange", poll);
}());

// Added by `paperdigest serve` to the pages it serves; never part of a built site.
// Reloads the page when a new build is in place, and shows a failed build's error.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  var source = new EventSource("/__paperdigest/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (version !== null && String(state.version) !== version) {
      source.close();
      window.location.reload();
      return;
    }
    showError(state.error);
  };
  function showError(message) {
    var banner = document.getElementById("paperdigest-build-error");
    if (!message) {
      if (banner) banner.remove();
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "paperdigest-build-error";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:50vh;" +
        "overflow:auto;margin:0;padding:1rem;background:#7f1d1d;color:#fff;" +
        "font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(banner);
    }
    banner.textContent = "Build failed; showing the last good build.\n" + message;
  }
})();

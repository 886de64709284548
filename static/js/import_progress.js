// The import page: a form's button is disabled while its post runs, and a running import's
// progress bar follows its status (a small JSON answer) until the job ends, then the page reloads
// to show the preview or the result. Without JavaScript, the page's "Reload" link does the same.
(function () {
  "use strict";
  var POLL_MILLISECONDS = 1000;

  document.querySelectorAll("form[data-disable-on-submit]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    });
  });

  var box = document.querySelector("[data-import-status-url]");
  if (!box) { return; }
  var url = box.dataset.importStatusUrl;
  var track = box.querySelector("[role=progressbar]");
  var bar = box.querySelector(".progress-bar");
  var text = box.querySelector("[data-import-progress-text]");

  function show(status) {
    var percent = Math.max(0, Math.min(100, status.percent));
    bar.style.width = percent + "%";
    bar.dataset.width = String(percent);
    track.setAttribute("aria-valuenow", String(percent));
    text.textContent = status.message;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status) {
          show(status);
          if (status.finished) { window.location.reload(); return; }
        }
        window.setTimeout(poll, POLL_MILLISECONDS);
      })
      .catch(function () { window.setTimeout(poll, POLL_MILLISECONDS); });
  }
  window.setTimeout(poll, POLL_MILLISECONDS);
})();

// Behaviour shared by every page, kept out of the HTML so the Content-Security-Policy can forbid
// inline script and inline style: values come from data-* attributes, never from Jinja inside JS.
(function () {
  "use strict";

  // <form data-confirm="Delete this firm?">: ask before a destructive post.
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset ? event.target.dataset.confirm : undefined;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  // <button data-print>: the printable report's button.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // data-width="42" (percent) on progress bars: set through the CSSOM, which CSP allows, where a
  // style="width: 42%" attribute would need 'unsafe-inline'.
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      var share = parseFloat(element.dataset.width);
      if (!isNaN(share)) { element.style.width = Math.max(0, Math.min(100, share)) + "%"; }
    });
  }
  applyWidths(document);
})();

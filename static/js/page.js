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

  // <input data-date-input>: a day typed as text (templates/_forms.html says why). The server reads
  // 2026-03-05; turn the other ways people write a day into it as the field is left.
  var DAY = /^(\d{4})\s*[-\/.年\s]\s*(\d{1,2})\s*[-\/.月\s]\s*(\d{1,2})\s*日?$/;
  var COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;
  function isoDay(text) {
    var plain = text.normalize("NFKC").trim();
    var parts = DAY.exec(plain) || COMPACT_DAY.exec(plain);
    if (!parts) { return text; }
    var two = function (number) { return ("0" + number).slice(-2); };
    return parts[1] + "-" + two(parts[2]) + "-" + two(parts[3]);
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-date-input]")) { input.value = isoDay(input.value); }
  });
})();

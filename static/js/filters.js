// On a phone the list's filters fold under their summary, unless one is in use, so the first
// firms show without scrolling past seven controls. Without JavaScript they stay open.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 575.98px)").matches) { return; }
  document.querySelectorAll("details.filters-fold[data-fold-on-phone]").forEach(function (fold) {
    fold.open = false;
  });
})();

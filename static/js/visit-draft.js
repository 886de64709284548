// The visit form, filled in on a phone in a firm's lobby: keep a draft in localStorage (one per
// firm) so a lost connection or a closed tab loses nothing; show the red flags only on-site.
(function () {
  "use strict";

  function clearSavedDrafts() {
    document.querySelectorAll("[data-visit-draft-clear]").forEach(function (marker) {
      try { localStorage.removeItem(marker.dataset.visitDraftClear); } catch (e) { /* private mode */ }
    });
  }

  function skipped(element) {
    return !element.name || element.type === "hidden" || element.type === "submit";
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (skipped(element)) { return; }
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) { values[element.name] = element.value; }
      } else if (element.multiple) {
        values[element.name] = Array.prototype.filter.call(element.options, function (o) {
          return o.selected;
        }).map(function (o) { return o.value; });
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function restore(form, values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (skipped(element) || !(element.name in values)) { return; }
      var value = values[element.name];
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = element.value === value;
      } else if (element.multiple) {
        Array.prototype.forEach.call(element.options, function (o) {
          o.selected = value.indexOf(o.value) !== -1;
        });
      } else {
        element.value = value;
      }
    });
  }

  function showRedFlagsForKind(form) {
    var section = form.querySelector("[data-on-site-only]");
    if (!section) { return; }
    var checked = form.querySelector("input[name='kind']:checked");
    var onSite = !checked || checked.value === "on_site";
    section.hidden = !onSite;
    section.disabled = !onSite;  // a hidden answer must not be sent with a phone call
    var reason = form.querySelector("#move-out-reason");
    var moveOut = form.querySelector("input[name='flag_move_out']:checked");
    if (reason) { reason.hidden = !(moveOut && moveOut.value === "yes"); }
  }

  function setUpDraft(form) {
    var key = form.dataset.visitDraft;
    if (!key) { return; }
    var notice = document.getElementById("draft-notice");
    var stored = null;
    try { stored = localStorage.getItem(key); } catch (e) { return; }
    // After a refused POST the server shows what was just sent: that is newer than the draft.
    if (stored && form.dataset.visitDraftResubmitted !== "true") {
      restore(form, JSON.parse(stored));
      if (notice) { notice.hidden = false; }
    }
    function save() {
      try { localStorage.setItem(key, JSON.stringify(collect(form))); } catch (e) { /* full */ }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    var discard = form.querySelector("[data-visit-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        localStorage.removeItem(key);
        form.reset();
        if (notice) { notice.hidden = true; }
        showRedFlagsForKind(form);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearSavedDrafts();
    document.querySelectorAll("form.visit-form").forEach(function (form) {
      setUpDraft(form);
      showRedFlagsForKind(form);
      form.addEventListener("change", function () { showRedFlagsForKind(form); });
    });
  });
})();

// Firm search boxes: typing part of a name or credit code lists the firms of the user's scope
// from GET /enterprises/search. Progressive enhancement over what the server rendered:
// - on a <select data-firm-search="URL">, the select is hidden behind a search box and the
//   firm picked sets its value, so the form still posts the firm's id;
// - on an <input data-firm-search="URL" data-firm-link="/path/__ID__">, each firm found is a
//   link (the page's own search button still works without JavaScript).
(function () {
  "use strict";
  var WAIT_MS = 200; // typing pauses this long before a search: one request per word, not per key

  function resultItem(firm, href) {
    var item = document.createElement(href ? "a" : "button");
    item.className = "list-group-item list-group-item-action firm-search-result";
    item.setAttribute("role", "option");
    if (href) {
      item.href = href.replace("__ID__", String(firm.id));
    } else {
      item.type = "button";
    }
    item.dataset.firmId = String(firm.id);
    item.dataset.firmName = firm.name;
    var name = document.createElement("span");
    name.className = "d-block";
    name.textContent = firm.name;
    var detail = document.createElement("small");
    detail.className = "text-body-secondary";
    detail.textContent = firm.sub_district + " · " + firm.uscc;
    item.appendChild(name);
    item.appendChild(detail);
    return item;
  }

  function attach(source) {
    var url = source.dataset.firmSearch;
    var link = source.dataset.firmLink || "";
    var isSelect = source.tagName === "SELECT";
    var box = source;
    if (isSelect) {
      box = document.createElement("input");
      box.type = "search";
      box.className = "form-control" + (source.classList.contains("is-invalid") ? " is-invalid" : "");
      box.id = source.id + "-search";
      box.placeholder = source.dataset.firmPlaceholder || "";
      // Only an option the server marked: a browser shows the first one of any select as chosen.
      var chosen = source.querySelector("option[selected]");
      box.value = chosen && chosen.value ? chosen.text : "";
      var label = document.querySelector("label[for='" + source.id + "']");
      if (label) { label.htmlFor = box.id; }
      source.hidden = true;
      source.setAttribute("aria-hidden", "true");
      source.tabIndex = -1;
      source.parentNode.insertBefore(box, source);
    }
    box.setAttribute("autocomplete", "off");
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    var list = document.createElement("div");
    list.className = "list-group firm-search-results mt-1";
    list.id = box.id + "-results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.setAttribute("aria-controls", list.id);
    box.insertAdjacentElement("afterend", list);

    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      box.setAttribute("aria-expanded", "false");
    }

    function show(firms) {
      list.replaceChildren();
      if (!firms.length) {
        var none = document.createElement("div");
        none.className = "list-group-item text-body-secondary";
        none.textContent = source.dataset.firmNone || "—";
        list.appendChild(none);
      }
      firms.forEach(function (firm) { list.appendChild(resultItem(firm, link)); });
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }

    function pick(item) {
      var id = item.dataset.firmId;
      var option = Array.prototype.find.call(source.options, function (o) { return o.value === id; });
      if (!option) {
        option = new Option(item.dataset.firmName, id);
        source.add(option);
      }
      source.value = id;
      box.value = item.dataset.firmName;
      source.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    function search() {
      var text = box.value.trim();
      asked += 1;
      var mine = asked;
      if (!text) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return response.ok && json ? response.json() : null;
      }).then(function (answer) {
        if (answer && mine === asked) { show(answer.firms); }
      }).catch(function () { /* offline: the server-rendered control still works */ });
    }

    box.addEventListener("input", function () {
      if (isSelect) { source.value = ""; }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, WAIT_MS);
    });
    box.addEventListener("keydown", function (event) {
      var first = list.querySelector(".firm-search-result");
      if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      } else if (event.key === "Enter" && isSelect) {
        event.preventDefault(); // Enter in the box picks, it does not send a half-filled form
        if (first) { pick(first); }
      } else if (event.key === "Escape") {
        close();
      }
    });
    list.addEventListener("keydown", function (event) {
      var item = document.activeElement;
      if (event.key === "ArrowDown" && item.nextElementSibling) {
        event.preventDefault();
        item.nextElementSibling.focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (item.previousElementSibling || box).focus();
      } else if (event.key === "Escape") {
        close();
        box.focus();
      }
    });
    if (isSelect) {
      list.addEventListener("click", function (event) {
        var item = event.target.closest(".firm-search-result");
        if (item) { pick(item); }
      });
    }
  }

  document.querySelectorAll("[data-firm-search]").forEach(attach);
})();

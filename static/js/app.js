// enidash: the few behaviours that need script. Every page works without
// it; there are no inline scripts or handlers (strict CSP).
(function () {
  "use strict";

  // A select marked data-autosubmit submits its form when changed (the
  // region switcher); without script the form has its own button.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLSelectElement) || !el.hasAttribute("data-autosubmit") || !el.form) {
      return;
    }
    if (typeof el.form.requestSubmit === "function") {
      el.form.requestSubmit();
    } else {
      el.form.submit();
    }
  });

  // A form marked data-enter-once is sent by htmx on change and on submit.
  // Enter in one of its text fields commits the value (a change) and then
  // submits: two requests, the first aborted. The change that Enter
  // commits is left to the submit, so one Enter is one request. Events
  // come in order keydown, change, submit, keyup.
  var entering = null;
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    entering = event.key === "Enter" && el instanceof HTMLInputElement && !!el.form &&
      el.form.hasAttribute("data-enter-once") ? el : null;
  }, true);
  document.addEventListener("change", function (event) {
    if (entering !== null && event.target === entering) {
      event.stopPropagation();
    }
  }, true);
  ["keyup", "submit"].forEach(function (type) {
    document.addEventListener(type, function () { entering = null; }, true);
  });

  // Every htmx request carries the page's CSRF token.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });

  // A button marked data-dismiss="#dialog" empties that element: the
  // Cancel of an action panel. Escape does the same for an open panel.
  function dismiss(selector) {
    var el = document.querySelector(selector);
    if (el) {
      el.replaceChildren();
      el.className = "";
      el.removeAttribute("data-dialog");
    }
  }
  document.addEventListener("click", function (event) {
    var btn = event.target instanceof Element && event.target.closest("[data-dismiss]");
    if (btn) {
      event.preventDefault();
      dismiss(btn.getAttribute("data-dismiss"));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.querySelector("#dialog[data-dialog]")) {
      dismiss("#dialog");
    }
  });

  // The select-all box of a table ticks every row's box, and shows as
  // partly ticked when only some are.
  function syncSelectAll() {
    var all = document.querySelector("[data-select-all]");
    if (!all) {
      return;
    }
    var boxes = document.querySelectorAll(all.getAttribute("data-select-all"));
    var ticked = 0;
    boxes.forEach(function (b) { if (b.checked) { ticked++; } });
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    syncSelectView(all.checked);
  }

  // With every row of the page ticked, a line offers every ENI of the
  // view; choosing it makes the bulk form post the view instead of the
  // rows. Unticking any row goes back to the rows.
  function syncSelectView(allTicked) {
    var line = document.querySelector("[data-select-view]");
    var input = document.querySelector("[data-bulk-view]");
    if (!line || !input) {
      return;
    }
    line.hidden = !allTicked;
    if (!allTicked) {
      showViewChosen(line, input, false);
    }
  }
  function showViewChosen(line, input, chosen) {
    input.disabled = !chosen;
    line.querySelector('[data-select-view-state="page"]').hidden = chosen;
    line.querySelector('[data-select-view-state="view"]').hidden = !chosen;
  }
  document.addEventListener("click", function (event) {
    var btn = event.target instanceof Element ? event.target.closest("button[data-select-view]") : null;
    var line = document.querySelector("[data-select-view]");
    var input = document.querySelector("[data-bulk-view]");
    if (!btn || !line || !input) {
      return;
    }
    if (btn.getAttribute("data-select-view") === "all") {
      showViewChosen(line, input, true);
      return;
    }
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.checked = false;
      document.querySelectorAll(all.getAttribute("data-select-all")).forEach(function (b) { b.checked = false; });
    }
    syncSelectAll();
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLInputElement) || el.type !== "checkbox") {
      return;
    }
    var all = document.querySelector("[data-select-all]");
    if (!all) {
      return;
    }
    if (el === all) {
      document.querySelectorAll(all.getAttribute("data-select-all")).forEach(function (b) { b.checked = all.checked; });
      all.indeterminate = false;
      syncSelectView(all.checked);
      return;
    }
    syncSelectAll();
  });

  // Shared with live.js and stream.js, which load after this file.
  window.enidash = {
    syncSelectAll: syncSelectAll,
    parseTemplate: function (html, selector) {
      var holder = document.createElement("template");
      holder.innerHTML = html;
      return holder.content.querySelector(selector);
    }
  };
})();

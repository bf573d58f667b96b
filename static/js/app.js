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
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLInputElement) || el.type !== "checkbox") {
      return;
    }
    var all = document.querySelector("[data-select-all]");
    if (!all) {
      return;
    }
    var boxes = document.querySelectorAll(all.getAttribute("data-select-all"));
    if (el === all) {
      boxes.forEach(function (b) { b.checked = all.checked; });
      all.indeterminate = false;
      return;
    }
    var ticked = 0;
    boxes.forEach(function (b) { if (b.checked) { ticked++; } });
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  });
})();

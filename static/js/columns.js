// enidash: the column chooser of the ENI table. The choice is kept in this
// browser (localStorage) and applied to every table the page shows or
// htmx swaps in, live rows included. Without script every column shows.
(function () {
  "use strict";

  var KEY = "enidash.columns";

  // chosen is the person's choice, { column: shown }, or null for the
  // defaults.
  function chosen() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return v && typeof v === "object" ? v : null;
    } catch (e) {
      return null;
    }
  }

  function save(choice) {
    try {
      if (choice) {
        window.localStorage.setItem(KEY, JSON.stringify(choice));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      // Storage refused (private mode): the choice lasts for this page.
    }
  }

  // hiddenColumns are the columns to hide: those chosen hidden, else
  // those not shown by default.
  function hiddenColumns(chooser) {
    var choice = chosen();
    var hidden = {};
    chooser.querySelectorAll("input[data-column]").forEach(function (box) {
      var col = box.getAttribute("data-column");
      var shown = choice && Object.prototype.hasOwnProperty.call(choice, col) ?
        !!choice[col] : box.hasAttribute("data-default-shown");
      box.checked = shown;
      if (!shown) {
        hidden[col] = true;
      }
    });
    return hidden;
  }

  var applying = false;
  function apply() {
    var chooser = document.querySelector("[data-column-chooser]");
    if (!chooser) {
      return;
    }
    chooser.hidden = false;
    var hidden = hiddenColumns(chooser);
    applying = true;
    document.querySelectorAll("#eni-table [data-col]").forEach(function (cell) {
      var hide = !!hidden[cell.getAttribute("data-col")];
      if (cell.hidden !== hide) {
        cell.hidden = hide;
      }
    });
    applying = false;
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-column")) {
      return;
    }
    var choice = chosen() || {};
    document.querySelectorAll("[data-column-chooser] input[data-column]").forEach(function (b) {
      choice[b.getAttribute("data-column")] = b.checked;
    });
    save(choice);
    apply();
  });
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-columns-reset]")) {
      save(null);
      apply();
    }
  });

  // Tables and rows arrive by htmx swaps and live events: apply the choice
  // to whatever is added, before it is painted.
  new MutationObserver(function () {
    if (!applying) {
      apply();
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  apply();
})();

// enidash: the keyboard and focus. Shortcuts (none while typing in a
// field), the row cursor of the ENI table, focus kept inside an open
// dialog and given back to what opened it, and the parts of a page that
// fold on a phone. Every page works without it.
(function () {
  "use strict";

  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

  function focusables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FOCUSABLE), function (el) {
      // A folded details keeps its content laid out, so ask.
      return typeof el.checkVisibility === "function" ? el.checkVisibility() : el.getClientRects().length > 0;
    });
  }

  // A key typed into a field is text, never a shortcut.
  function typing(el) {
    if (!(el instanceof HTMLElement)) {
      return false;
    }
    if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) {
      return true;
    }
    return el instanceof HTMLInputElement &&
      ["checkbox", "radio", "button", "submit", "reset", "image", "file"].indexOf(el.type) < 0;
  }

  // ---- Dialogs (the action and bulk panels htmx opens in #dialog) ----

  var opener = null;      // the control that opened the dialog
  var openerRow = null;   // its row's id, to find it again after a swap
  var dialogShown = false;

  function openDialog() {
    return document.querySelector("#dialog[data-dialog]");
  }

  // A request that fills #dialog from outside it names its opener.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var d = event.detail;
    var target = d && d.target;
    if (!(target instanceof Element) || target.id !== "dialog" || !(d.elt instanceof Element) || d.elt.closest("#dialog")) {
      return;
    }
    var active = document.activeElement;
    opener = active instanceof HTMLElement && active !== document.body && !active.closest("#dialog") ? active : d.elt;
    var row = opener.closest("tr[id]");
    openerRow = row ? row.id : null;
  });

  // The first field to fill, else the panel itself: its label is read out
  // and Tab goes on to its controls.
  function focusInto(dialog) {
    var panel = dialog.querySelector('[role="dialog"]') || dialog;
    var first = panel.querySelector('[aria-invalid="true"], .input-invalid, input[type="radio"]:checked:not([disabled]), ' +
      'input[type="radio"]:not([disabled]), input[type="text"]:not([disabled]), input[type="number"]:not([disabled])');
    (first || panel).focus();
  }

  // Focus goes back to the opener, or to its row's link when the row was
  // replaced by the change the dialog made.
  function restoreFocus() {
    var to = opener && opener.isConnected ? opener : null;
    if (!to && openerRow) {
      var row = document.getElementById(openerRow);
      to = row && row.querySelector('[data-col="id"] a[href]');
    }
    if (to) {
      to.focus();
    }
    opener = openerRow = null;
  }

  function syncDialog() {
    var dialog = openDialog();
    if (dialog && !dialog.contains(document.activeElement)) {
      dialogShown = true;
      focusInto(dialog);
    } else if (!dialog && dialogShown) {
      dialogShown = false;
      restoreFocus();
    }
  }
  document.addEventListener("htmx:afterSettle", syncDialog);
  // app.js closes the dialog on Escape and on its Cancel button first.
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-dismiss]")) {
      syncDialog();
    }
  });

  // Tab and Shift+Tab go round the dialog's controls, never behind it.
  function trapTab(event, dialog) {
    var panel = dialog.querySelector('[role="dialog"]') || dialog;
    var items = focusables(panel);
    if (items.length === 0) {
      event.preventDefault();
      panel.focus();
      return;
    }
    var first = items[0];
    var last = items[items.length - 1];
    var active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel || !panel.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  // ---- The row cursor of the ENI table ----

  var cursorID = null;

  function rows() {
    var body = document.getElementById("eni-rows");
    return body ? Array.prototype.filter.call(body.rows, function (r) { return !r.hasAttribute("data-gone"); }) : [];
  }

  function cursorRow() {
    var row = cursorID && document.getElementById(cursorID);
    return row && row.closest("#eni-rows") ? row : null;
  }

  function placeCursor(row, focus) {
    document.querySelectorAll("#eni-rows tr[data-cursor]").forEach(function (r) {
      r.removeAttribute("data-cursor");
    });
    cursorID = row ? row.id : null;
    if (!row) {
      return;
    }
    row.setAttribute("data-cursor", "");
    var link = row.querySelector('[data-col="id"] a[href]');
    if (focus && link) {
      link.focus({ preventScroll: true });
    }
    row.scrollIntoView({ block: "nearest" });
  }

  function moveCursor(step) {
    var all = rows();
    if (all.length === 0) {
      return;
    }
    var i = all.indexOf(cursorRow());
    var next = i < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, i + step));
    placeCursor(all[next], true);
  }

  // A row replaced by a live update keeps the cursor, and the focus when
  // the person had it there.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var row = event.target;
    if (row instanceof HTMLTableRowElement && row.id === cursorID && !row.hasAttribute("data-gone")) {
      row.setAttribute("data-cursor", "");
      if (document.activeElement === document.body) {
        var link = row.querySelector('[data-col="id"] a[href]');
        if (link) {
          link.focus({ preventScroll: true });
        }
      }
    }
  });

  // ---- Shortcuts ----

  var gPressed = false;

  // The character of a key that moved the focus into a field is not
  // typed there: its keypress may come after the keydown that moved it.
  var swallow = null;
  document.addEventListener("keypress", function (event) {
    if (swallow !== null && event.key === swallow) {
      event.preventDefault();
    }
    swallow = null;
  }, true);
  document.addEventListener("keyup", function () { swallow = null; }, true);

  function go(nav) {
    var link = document.querySelector('nav a[data-nav="' + nav + '"]');
    if (link) {
      link.click();
    }
  }

  function showHelp() {
    var help = document.getElementById("shortcuts");
    if (help && typeof help.showModal === "function" && !help.open) {
      help.showModal();
    }
  }

  document.addEventListener("keydown", function (event) {
    var dialog = openDialog();
    if (dialog) {
      if (event.key === "Tab") {
        trapTab(event, dialog);
      }
      return;
    }
    if (dialogShown) {
      // app.js has just closed it (Escape).
      syncDialog();
      return;
    }
    if (event.key === "Escape") {
      closeMenus(null);
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target) ||
        document.querySelector("dialog[open]")) {
      return;
    }
    var afterG = gPressed;
    gPressed = false;
    switch (event.key) {
    case "/":
      var search = document.getElementById("f-q");
      if (search) {
        event.preventDefault();
        swallow = "/";
        search.focus();
        search.select();
      }
      return;
    case "?":
      event.preventDefault();
      showHelp();
      return;
    case "g":
      gPressed = true;
      return;
    case "e":
    case "a":
      if (afterG) {
        event.preventDefault();
        go(event.key === "e" ? "enis" : "audit");
      }
      return;
    case "j":
    case "k":
      if (rows().length > 0) {
        event.preventDefault();
        moveCursor(event.key === "j" ? 1 : -1);
      }
      return;
    case "x":
      var row = cursorRow();
      var box = row && row.querySelector(".row-select");
      if (box) {
        event.preventDefault();
        // A click, so the change reaches the select-all box and htmx.
        box.click();
      }
      return;
    case "Enter":
      // On the row's link, Enter follows it as any link does.
      var at = cursorRow();
      var link = at && at.querySelector('[data-col="id"] a[href]');
      if (link && (document.activeElement === document.body || document.activeElement === at)) {
        event.preventDefault();
        link.click();
      }
      return;
    }
  });

  // ---- What folds on a phone ----

  // The account menu closes on Escape and on a click elsewhere.
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu === except) {
        return;
      }
      var summary = menu.querySelector("summary");
      var inside = menu.contains(document.activeElement);
      menu.open = false;
      if (inside && summary) {
        summary.focus();
      }
    });
  }
  document.addEventListener("click", function (event) {
    var menu = event.target instanceof Element ? event.target.closest("details[data-menu]") : null;
    closeMenus(menu);
  });

  // Folded parts stay as the person left them when htmx swaps their form
  // in again: the filter fields of the list, the advanced settings of the
  // create form (after a refused create or a picker's change). The server
  // opens them itself when they hold a value or a problem.
  var FOLDS = "details[data-filter-fields], details[data-section]";
  function foldKey(d) {
    return d.id || d.getAttribute("data-section");
  }
  var openFolds = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    openFolds = target instanceof Element ? Array.prototype.filter.call(target.querySelectorAll(FOLDS), function (d) {
      return d.open;
    }).map(foldKey) : [];
  });
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll(FOLDS).forEach(function (d) {
      if (!d.open && openFolds.indexOf(foldKey(d)) >= 0) {
        d.open = true;
      }
    });
    openFolds = [];
  });
})();

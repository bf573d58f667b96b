// enidash: the rows of a live view (htmx SSE extension). Changed rows,
// notes of vanished ones and the status banner arrive as out-of-band
// swaps that htmx does itself; new and moved rows and resets are handled
// here. The stream's own life (hidden tabs, ended sessions) is stream.js.
(function () {
  "use strict";

  var syncSelectAll = window.enidash.syncSelectAll;
  var parseTemplate = window.enidash.parseTemplate;

  var ROW_FLASH = ["bg-amber-50", "dark:bg-amber-400/10"];
  var FLASH_MS = 1500;
  var GONE_MS = 8000;

  function rowTicked(row) {
    var box = row.querySelector(".row-select");
    return !!box && box.checked;
  }

  // A new row only moves the table under someone who is not using it:
  // not while the pointer is over it, nor while rows are ticked.
  function tableBusy() {
    var table = document.getElementById("eni-table");
    return !!table && (table.matches(":hover") || !!table.querySelector(".row-select:checked"));
  }

  function flash(row) {
    ROW_FLASH.forEach(function (c) { row.classList.add(c); });
    window.setTimeout(function () {
      ROW_FLASH.forEach(function (c) { row.classList.remove(c); });
    }, FLASH_MS);
  }

  function refetchView() {
    htmx.ajax("GET", location.pathname + location.search, { target: "#results", swap: "outerHTML" });
  }

  // Rows that did not go in are counted in #live-news with a button to
  // fetch the view again; #live-news is inside #results, so the next view
  // starts without it.
  function announce(n) {
    var news = document.getElementById("live-news");
    if (!news) {
      return;
    }
    var count = (parseInt(news.getAttribute("data-count"), 10) || 0) + n;
    news.setAttribute("data-count", String(count));
    var line = document.createElement("p");
    line.className = "inline-flex items-center gap-1.5 rounded-md border border-blue-200 bg-blue-50 px-2 py-0.5 text-xs text-blue-900 dark:border-blue-900 dark:bg-blue-950/40 dark:text-blue-100";
    line.setAttribute("data-live-news", "");
    line.append(count + (count === 1 ? " new ENI" : " new ENIs") + " in this view · ");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "font-medium underline underline-offset-2 hover:no-underline";
    btn.setAttribute("data-live-refresh", "");
    btn.textContent = "Refresh";
    line.append(btn);
    news.replaceChildren(line);
  }
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-live-refresh]")) {
      refetchView();
    }
  });

  function insertRow(tpl) {
    var tbody = document.getElementById("eni-rows");
    var row = tpl.content.querySelector("tr");
    if (!tbody || !row || tableBusy()) {
      return false;
    }
    var existing = document.getElementById(row.id);
    var after = tpl.getAttribute("data-after");
    var prev = after ? document.getElementById("row-" + after) : null;
    if (existing) {
      // A reconnect may repeat a row the page already has.
      existing.replaceWith(row);
    } else if (prev && prev.parentNode === tbody) {
      prev.after(row);
    } else {
      tbody.prepend(row);
    }
    htmx.process(row);
    flash(row);
    syncSelectAll();
    return true;
  }

  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var msg = event.detail;
    var live = document.getElementById("live");
    if (live && msg.lastEventId) {
      live.setAttribute("data-last-event-id", msg.lastEventId);
    }
    if (msg.type === "added") {
      event.preventDefault();
      var tpl = parseTemplate(msg.data, "template[data-live-added]");
      if (tpl && !insertRow(tpl)) {
        announce(1);
      }
    } else if (msg.type === "reset") {
      event.preventDefault();
      var reset = parseTemplate(msg.data, "template[data-live-reset]");
      var url = reset && reset.getAttribute("data-url");
      var target = reset && reset.getAttribute("data-target");
      if (url && target && document.querySelector(target)) {
        htmx.ajax("GET", url, { target: target, swap: "outerHTML" });
      } else {
        location.reload();
      }
    }
  });

  // A row replaced while ticked stays ticked: remembered before the swap,
  // ticked again after it.
  var keepTicked = {};
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var row = event.target;
    if (row instanceof HTMLTableRowElement && row.id && rowTicked(row)) {
      keepTicked[row.id] = true;
    }
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var row = event.target;
    if (!(row instanceof HTMLTableRowElement) || !row.id || row.hasAttribute("data-live-seen")) {
      return;
    }
    // htmx reports every element of a response to each of its swaps.
    row.setAttribute("data-live-seen", "");
    if (keepTicked[row.id]) {
      delete keepTicked[row.id];
      var box = row.querySelector(".row-select");
      if (box) {
        box.checked = true;
      }
    }
    syncSelectAll();
    syncBulkResult(row);
    if (row.hasAttribute("data-gone")) {
      // The note says why the row went; it goes after a while.
      window.setTimeout(function () {
        row.remove();
        syncSelectAll();
      }, GONE_MS);
    } else {
      row.setAttribute("data-live-flash", "");
    }
  });
  // The results of a bulk action show each ENI's state as its row does;
  // an ENI that left the view says why, as its row's note does.
  function syncBulkResult(row) {
    var id = row.id.slice("row-".length);
    var badge = document.querySelector('#dialog [data-status-of="' + CSS.escape(id) + '"]');
    if (!badge) {
      return;
    }
    var fresh = row.querySelector('[data-col="status"] .badge');
    if (fresh) {
      badge.replaceChildren(fresh.cloneNode(true));
    } else if (row.hasAttribute("data-gone")) {
      badge.textContent = row.textContent.slice(row.textContent.indexOf("—") + 1).trim();
    }
  }

  // htmx puts a swapped row's old class back until it settles, so the
  // flash waits for that.
  document.addEventListener("htmx:afterSettle", function (event) {
    var row = event.target;
    if (row instanceof HTMLTableRowElement && row.hasAttribute("data-live-flash")) {
      row.removeAttribute("data-live-flash");
      flash(row);
    }
  });

})();

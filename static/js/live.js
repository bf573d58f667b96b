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

  // tableHovered: the pointer is over the table, perhaps about to click.
  function tableHovered() {
    var table = document.getElementById("eni-table");
    return !!table && table.matches(":hover");
  }

  // placeRow puts row after the row of after, or first when after is "".
  // It reports false when the page has no row of after.
  function placeRow(tbody, row, after) {
    if (!after) {
      tbody.prepend(row);
      return true;
    }
    var prev = document.getElementById("row-" + after);
    if (!prev || prev.parentNode !== tbody) {
      return false;
    }
    prev.after(row);
    return true;
  }

  // An added ENI whose row the page has: it moved in the view's order (its
  // sort key changed), or a reconnect repeats it. The row is replaced,
  // keeps its tick, and goes after the row it now follows. Under the
  // pointer it changes in place and moves once the pointer leaves the
  // table, the moves in the order they came.
  var pendingMoves = [];
  function moveRow(tbody, existing, row, after) {
    var ticked = rowTicked(existing);
    existing.replaceWith(row);
    var box = row.querySelector(".row-select");
    if (box && ticked) {
      box.checked = true;
    }
    htmx.process(row);
    if (tableHovered()) {
      pendingMoves.push({ id: row.id, after: after });
    } else {
      placeRow(tbody, row, after);
    }
    flash(row);
    syncSelectAll();
    syncBulkResult(row);
  }
  document.addEventListener("mouseleave", function (event) {
    var tbody = document.getElementById("eni-rows");
    if (!(event.target instanceof Element) || event.target.id !== "eni-table" || !tbody) {
      return;
    }
    pendingMoves.splice(0).forEach(function (m) {
      var row = document.getElementById(m.id);
      if (row && row.parentNode === tbody) {
        placeRow(tbody, row, m.after);
      }
    });
  }, true);

  function insertRow(tpl) {
    var tbody = document.getElementById("eni-rows");
    var row = tpl.content.querySelector("tr");
    if (!tbody || !row) {
      return false;
    }
    var after = tpl.getAttribute("data-after") || "";
    var existing = document.getElementById(row.id);
    if (existing) {
      moveRow(tbody, existing, row, after);
      return true;
    }
    if (tableBusy()) {
      return false;
    }
    if (!placeRow(tbody, row, after)) {
      tbody.prepend(row);
    }
    htmx.process(row);
    flash(row);
    syncSelectAll();
    return true;
  }

  // The counts above the table (#counts, #facets-bar), the page numbers
  // (#pager) and the snapshot's time (#snapshot-age) are those of the
  // page's load until asked for again (GET /enis/counts). A burst of
  // changes asks once, COUNTS_MS after its first change, so a busy view
  // still gets them that often; one request at a time, with at most one
  // more asked for after it; none while the tab is hidden (asked for once
  // it is shown again).
  var COUNTS_MS = 1500;
  var countsTimer = 0;
  var countsBusy = false;
  var countsAgain = false;
  var countsHidden = false;

  function countsURL() {
    var bar = document.getElementById("facets-bar");
    return bar && bar.getAttribute("data-counts-url");
  }

  function countsSoon() {
    if (!countsTimer && countsURL()) {
      countsTimer = window.setTimeout(fetchCounts, COUNTS_MS);
    }
  }

  function fetchCounts() {
    countsTimer = 0;
    var url = countsURL();
    if (!url) {
      return;
    }
    if (document.hidden) {
      countsHidden = true;
      return;
    }
    if (countsBusy) {
      countsAgain = true;
      return;
    }
    countsBusy = true;
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store" }).then(function (res) {
      // 204: the server cannot say now; the page keeps what it shows.
      return res.status === 200 ? res.text() : "";
    }).then(function (html) {
      if (html) {
        swapCounts(url, html);
      }
    }, function () {}).then(function () {
      countsBusy = false;
      if (countsAgain) {
        countsAgain = false;
        fetchCounts();
      }
    });
  }

  function swapCounts(url, html) {
    if (countsURL() !== url) {
      return; // the page went to another view meanwhile
    }
    var holder = document.createElement("template");
    holder.innerHTML = html;
    // views.CountsIDs: each replaces the page's element of its id.
    ["counts", "facets-bar", "pager", "snapshot-age"].forEach(function (id) {
      var fresh = holder.content.getElementById(id);
      var old = document.getElementById(id);
      if (fresh && old) {
        old.replaceWith(fresh);
        htmx.process(fresh);
      }
    });
    // stream.js says the new age line's words before the page is drawn.
    document.dispatchEvent(new CustomEvent("enidash:counts"));
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && countsHidden) {
      countsHidden = false;
      countsSoon();
    }
  });

  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var msg = event.detail;
    var live = document.getElementById("live");
    if (live && msg.lastEventId) {
      live.setAttribute("data-last-event-id", msg.lastEventId);
    }
    if (msg.type === "row" || msg.type === "added" || msg.type === "gone" || msg.type === "counts") {
      countsSoon();
    }
    if (msg.type === "counts") {
      event.preventDefault(); // nothing to swap
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

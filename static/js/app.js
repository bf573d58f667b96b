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

  // Live updates (htmx SSE extension). Changed rows, notes of vanished
  // ones and the status banner arrive as out-of-band swaps that htmx does
  // itself; new rows and resets are handled here.
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

  function parseTemplate(html, selector) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content.querySelector(selector);
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

  // A stream that cannot go on stops, and the page says why instead of
  // retrying for ever: the session ended (the server's last event,
  // "signedout", carries the banner), or the server refuses the stream
  // (too many live views for the session: 429). EventSource does not say
  // why it failed, so the page asks once with a probe that opens nothing.
  var STOPPED_CLASS = "inline-flex items-center gap-1.5 rounded-md border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100";

  function stopLive(live, banner) {
    var source = (live["htmx-internal-data"] || {}).sseEventSource;
    if (source) {
      source.close();
    }
    // The extension's pending retry finds nothing to connect to.
    live.removeAttribute("sse-connect");
    live.setAttribute("data-live-stopped", "");
    var status = document.getElementById("live-status");
    if (status && banner) {
      banner.removeAttribute("hx-swap-oob");
      status.replaceWith(banner);
    }
  }

  function stoppedBanner(text, link) {
    var holder = document.createElement("div");
    holder.id = "live-status";
    var p = document.createElement("p");
    p.setAttribute("role", "status");
    p.setAttribute("data-banner", "live-stopped");
    p.className = STOPPED_CLASS;
    var dot = document.createElement("span");
    dot.className = "h-1.5 w-1.5 shrink-0 rounded-full bg-amber-500";
    dot.setAttribute("aria-hidden", "true");
    p.append(dot, text);
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.className = "font-medium underline underline-offset-2 hover:no-underline";
      a.textContent = "Sign in again";
      p.append(" ", a);
    }
    holder.append(p);
    return holder;
  }

  function onSignedOut(msg) {
    var live = document.getElementById("live");
    if (live) {
      stopLive(live, parseTemplate(msg.data, "#live-status"));
    }
  }
  document.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail && event.detail.source;
    if (source) {
      // The same listener is added once however often the stream opens.
      source.addEventListener("signedout", onSignedOut);
    }
  });

  document.addEventListener("htmx:sseError", function (event) {
    var live = event.target;
    var source = event.detail && event.detail.source;
    if (!(live instanceof Element) || live.id !== "live" || !source || source.readyState !== EventSource.CLOSED ||
        live.hasAttribute("data-live-probing")) {
      return;
    }
    var url = live.getAttribute("sse-connect");
    if (!url) {
      return;
    }
    live.setAttribute("data-live-probing", "");
    fetch(url, { headers: { "X-Live-Probe": "1" }, credentials: "same-origin", cache: "no-store" }).then(function (res) {
      live.removeAttribute("data-live-probing");
      if (res.status === 401) {
        var next = encodeURIComponent(location.pathname + location.search);
        stopLive(live, stoppedBanner("Your session has ended, so this page no longer updates by itself.", "/login?next=" + next + "&ended=1"));
      } else if (res.status >= 400 && res.status < 500) {
        var plain = (res.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
        return res.text().then(function (text) {
          stopLive(live, stoppedBanner(plain && text ? text.trim() :
            "Live updates stopped: the server refused this page's stream (" + res.status + "); reload to try again."));
        });
      }
      // Accepted now, or the server is failing for a while: the
      // extension keeps retrying.
    }, function () {
      live.removeAttribute("data-live-probing");
    });
  });

  // A hidden tab gives its stream back: over HTTP/1.1 a browser opens at
  // most six connections to one server, and operators keep many tabs open.
  // Shown again, it reconnects from the last event it had and is sent what
  // it missed (or told to fetch its view again).
  document.addEventListener("visibilitychange", function () {
    var live = document.getElementById("live");
    if (!live || live.hasAttribute("data-live-stopped")) {
      return;
    }
    var source = (live["htmx-internal-data"] || {}).sseEventSource;
    if (document.hidden) {
      if (source) {
        source.close();
      }
      return;
    }
    if (source && source.readyState !== EventSource.CLOSED) {
      return;
    }
    var fresh = live.cloneNode(true);
    var last = live.getAttribute("data-last-event-id");
    if (last) {
      var url = new URL(live.getAttribute("sse-connect"), location.href);
      url.searchParams.set("after", last);
      fresh.setAttribute("sse-connect", url.pathname + url.search);
    }
    live.replaceWith(fresh);
    htmx.process(fresh);
  });
})();

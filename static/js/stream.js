// enidash: the life of a page's live stream: given back while the tab is
// hidden, and stopped with a banner saying why when it cannot go on.
(function () {
  "use strict";

  var parseTemplate = window.enidash.parseTemplate;

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
    showFreshness();
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
      showFreshness();
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

  // The age line (#snapshot-age) tells the truth about the page: "live"
  // (its dot shown) while the page's stream is open and its health good;
  // otherwise how old the snapshot the page knows is (data-as-of, which
  // the counts fragment brings forward), said again every AGE_MS with no
  // request. The server's clock is the reference: data-now is when it
  // made the line.
  var AGE_MS = 15000;

  function sourceOf(live) {
    return (live["htmx-internal-data"] || {}).sseEventSource;
  }

  function streamLive() {
    var live = document.getElementById("live");
    if (!live || live.hasAttribute("data-live-stopped") || document.hidden) {
      return false;
    }
    var source = sourceOf(live);
    return !!source && source.readyState === EventSource.OPEN &&
      !document.querySelector("#live-status [data-banner]");
  }

  function plural(n, unit) {
    return n + " " + unit + (n === 1 ? "" : "s");
  }

  // ageText says what views.age says: "just now", "16 s ago", "3 min ago",
  // then coarser.
  function ageText(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var day = 86400;
    if (s < 1) {
      return "just now";
    } else if (s < 60) {
      return s + " s ago";
    } else if (s < 3600) {
      return Math.floor(s / 60) + " min ago";
    } else if (s < day) {
      return plural(Math.floor(s / 3600), "hour") + " ago";
    } else if (s < 60 * day) {
      return plural(Math.floor(s / day), "day") + " ago";
    } else if (s < 730 * day) {
      return plural(Math.floor(s / (30 * day)), "month") + " ago";
    }
    return plural(Math.floor(s / (365 * day)), "year") + " ago";
  }

  function showFreshness() {
    var line = document.getElementById("snapshot-age");
    var dot = line && line.querySelector("[data-live-dot]");
    var text = line && line.querySelector("[data-age-text]");
    var asOf = line && Date.parse(line.getAttribute("data-as-of"));
    if (!dot || !text || isNaN(asOf)) {
      return;
    }
    if (line.enidashSkew === undefined) {
      // First seen now, made at data-now by the server.
      var made = Date.parse(line.getAttribute("data-now"));
      line.enidashSkew = isNaN(made) ? 0 : made - Date.now();
    }
    var live = streamLive();
    dot.hidden = !live;
    line.setAttribute("data-freshness", live ? "live" : "age");
    text.textContent = live ? "live" : "as of " + ageText(Date.now() + line.enidashSkew - asOf);
  }

  ["htmx:sseOpen", "htmx:sseError", "htmx:sseClose", "htmx:sseMessage", "htmx:afterSettle", "enidash:counts"].forEach(function (type) {
    document.addEventListener(type, showFreshness);
  });
  window.setInterval(showFreshness, AGE_MS);
  showFreshness();
})();

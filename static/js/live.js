/* CupManager live timing: keeps the live page's changing part ([data-live]) up to date
 * without reloading. Server-Sent Events (data-stream) when the server streams; otherwise, or
 * when the stream is refused or keeps failing, it polls data-poll every few seconds with the
 * last ETag (304 until the next push). The page is complete without it: a reload shows the
 * latest state. Messages come from data attributes written by the (translated) template. */
(function () {
  "use strict";

  var POLL_MS = 3000;
  var root = document.querySelector("[data-live]");
  if (!root) {
    return;
  }
  var note = document.getElementById("live-connection");
  var etag = null;
  var polling = false;

  function say(key) {
    if (note && note.getAttribute("data-" + key)) {
      note.textContent = note.getAttribute("data-" + key);
    }
  }

  function show(html, sequence) {
    var seen = parseInt(root.getAttribute("data-sequence") || "0", 10);
    if (sequence && parseInt(sequence, 10) < seen) {
      return; // an older state arriving late
    }
    root.innerHTML = html;
    if (sequence) {
      root.setAttribute("data-sequence", sequence);
    }
  }

  function poll() {
    if (polling) {
      return;
    }
    polling = true;
    say("polling");
    var tick = function () {
      var headers = etag ? { "If-None-Match": etag } : {};
      fetch(root.getAttribute("data-poll"), { headers: headers, cache: "no-store" })
        .then(function (response) {
          if (response.status === 200) {
            etag = response.headers.get("ETag");
            var sequence = etag ? etag.replace(/"/g, "").split("-")[2] : null;
            return response.text().then(function (html) { show(html, sequence); });
          }
        })
        .catch(function () { say("lost"); })
        .then(function () { window.setTimeout(tick, POLL_MS); });
    };
    tick();
  }

  function stream() {
    var source = new EventSource(root.getAttribute("data-stream"));
    var failures = 0;
    source.addEventListener("open", function () {
      failures = 0;
      say("streaming");
    });
    source.addEventListener("update", function (event) {
      show(event.data, event.lastEventId);
    });
    source.addEventListener("error", function () {
      failures += 1;
      // Refused (503: no stream on this server) or failing again and again: poll instead.
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        poll();
      } else {
        say("lost");
      }
    });
  }

  if (window.EventSource && root.getAttribute("data-stream")) {
    stream();
  } else {
    poll();
  }
})();

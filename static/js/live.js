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
  var announcer = document.getElementById("live-flag");
  var etag = null;
  var polling = false;
  var said = null;
  var flag = currentFlag();

  function say(key) {
    // Each state once: a screen reader hears a change of connection, not every retry.
    if (note && key !== said && note.getAttribute("data-" + key)) {
      note.textContent = note.getAttribute("data-" + key);
      said = key;
    }
  }

  function currentFlag() {
    var badge = root.querySelector("[data-flag]");
    return badge ? badge.getAttribute("data-flag") : null;
  }

  function show(html) {
    root.innerHTML = html;
    var now = currentFlag();
    if (announcer && now && now !== flag) {
      announcer.textContent = now; // a red flag or a safety car is announced at once
    }
    flag = now;
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
            say("polling");
            return response.text().then(show);
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
      show(event.data);
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

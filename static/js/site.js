/* CupManager public site: progressive enhancement only; every page is complete without it.
 * - [data-visitor-time]: adds the race start in the visitor's own time zone.
 * - [data-countdown]: a live countdown to the next race start.
 * Labels come from data attributes written by the (translated) templates. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  function format(options) {
    try {
      return new Intl.DateTimeFormat(lang, options);
    } catch (error) {
      return new Intl.DateTimeFormat("en", options);
    }
  }

  function showVisitorTimes() {
    var label = document.body.getAttribute("data-your-time") || "your time";
    var formatter = format({
      weekday: "short", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
    document.querySelectorAll("time[data-visitor-time]").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment.getTime())) {
        return;
      }
      var extra = document.createElement("span");
      extra.className = "visitor-time";
      extra.textContent = " · " + label + ": " + formatter.format(moment);
      var anchor = element.nextElementSibling && element.nextElementSibling.classList.contains("zone")
        ? element.nextElementSibling : element;
      anchor.insertAdjacentElement("afterend", extra);
    });
  }

  function unit(value, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
    } catch (error) {
      return value + " " + name + (value === 1 ? "" : "s");
    }
  }

  function join(parts) {
    if (typeof Intl.ListFormat === "function") {
      return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(parts);
    }
    return parts.join(", ");
  }

  function remaining(milliseconds) {
    var minutes = Math.floor(milliseconds / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var parts = [];
    if (days) { parts.push(unit(days, "day")); }
    if (days || hours) { parts.push(unit(hours, "hour")); }
    parts.push(unit(minutes % 60, "minute"));
    return join(parts);
  }

  function startCountdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      var target = new Date(element.getAttribute("data-countdown"));
      if (isNaN(target.getTime())) {
        return;
      }
      var label = element.getAttribute("data-countdown-label") || "";
      var done = element.getAttribute("data-countdown-done") || "";
      var tick = function () {
        var left = target.getTime() - Date.now();
        element.textContent = left > 0 ? label + " " + remaining(left) : done;
        return left > 0;
      };
      if (tick()) {
        var timer = window.setInterval(function () {
          if (!tick()) { window.clearInterval(timer); }
        }, 15000);
      }
    });
  }

  showVisitorTimes();
  startCountdowns();
})();

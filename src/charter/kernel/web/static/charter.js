// Dates and times in the viewer's own format and time zone. Without JavaScript the page
// shows them in one unambiguous form (6 Dec 2026, 14:05 UTC); nothing else depends on this.
(function () {
  "use strict";
  var day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  var moment = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localise(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var value = el.getAttribute("datetime");
      if (el.hasAttribute("data-moment")) {
        var when = new Date(value);
        if (!isNaN(when)) { el.textContent = moment.format(when); el.title = value; }
      } else if (el.hasAttribute("data-day")) {
        var parts = value.split("-").map(Number);  // a calendar day: no time zone shift
        var date = new Date(parts[0], parts[1] - 1, parts[2]);
        if (!isNaN(date)) { el.textContent = day.format(date); }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:afterSwap", function (e) { localise(e.target); });
})();

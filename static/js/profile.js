// Offer the browser's own time zone while the account still has the default (UTC).
(function () {
  var select = document.getElementById("id_time_zone");
  if (!select || select.dataset.browserDefault !== "true") return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();

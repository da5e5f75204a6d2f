// sdetcheck serve: the page's one script. The page works without it
// (a running audit's page then reloads itself, a deletion is confirmed on
// a page of its own); with it:
// - a running audit's page stays put: its status is read every few
//   seconds and said in the polite live region #etat only when it
//   changes, the page loading the result once the audit is over;
// - deleting an audit asks for confirmation in a dialog.
(function () {
  "use strict";
  var etat = document.getElementById("etat");
  if (etat && window.fetch) {
    var url = etat.getAttribute("data-url");
    var last = etat.getAttribute("data-status");
    var text = etat.querySelector(".message");
    var delay = 2000;
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.status === 401 || r.status === 404) {
            window.location.reload();
            return null;
          }
          if (!r.ok) {
            throw new Error(String(r.status));
          }
          return r.json();
        })
        .then(function (s) {
          if (!s) {
            return;
          }
          if (s.status !== last && s.message) {
            last = s.status;
            text.textContent = s.message;
          }
          if (s.status === "done" || s.status === "failed") {
            window.location.reload();
            return;
          }
          delay = 2000;
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, 30000);
          window.setTimeout(poll, delay);
        });
    };
    window.setTimeout(poll, delay);
  }
  var forms = document.querySelectorAll("form[data-confirm]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (ev) {
      var f = ev.currentTarget;
      if (!window.confirm(f.getAttribute("data-confirm"))) {
        ev.preventDefault();
        return;
      }
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirme";
      yes.value = "oui";
      f.appendChild(yes);
    });
  }
})();

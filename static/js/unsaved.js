// Nothing typed is lost without a question.
//
// A form in the page's main part that has been typed in is "unsaved" until it is
// submitted (a form the server shows again after refusing it arrives marked
// data-unsaved="true"). Leaving the page while another form is unsaved asks first.
// On pages that swap a part with htmx (the agenda planner), an open form with unsaved
// changes other than the one just sent is kept across the swap: a form marked
// data-keep-open="<id>" goes back in place of the element with that id (or inside it
// with data-keep-open-inside).
(function () {
  "use strict";

  var submitting = null;
  var kept = [];

  function tracked(form) {
    return (
      form instanceof HTMLFormElement &&
      (form.getAttribute("method") || "get").toLowerCase() === "post" &&
      !form.hasAttribute("data-unsaved-ignore") &&
      form.closest("main") !== null
    );
  }

  function unsaved(form) {
    return tracked(form) && form.dataset.unsaved === "true";
  }

  function markChanged(event) {
    var form = event.target.form;
    if (form && tracked(form)) form.dataset.unsaved = "true";
  }

  document.addEventListener("input", markChanged, true);
  document.addEventListener("change", markChanged, true);

  document.addEventListener(
    "submit",
    function (event) {
      submitting = event.target;
    },
    true
  );

  window.addEventListener("beforeunload", function (event) {
    var leaving = submitting;
    submitting = null;
    for (var i = 0; i < document.forms.length; i++) {
      var form = document.forms[i];
      if (form !== leaving && unsaved(form)) {
        event.preventDefault();
        event.returnValue = "";
        return "";
      }
    }
    return undefined;
  });

  document.addEventListener("htmx:afterRequest", function () {
    submitting = null;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var sender = event.detail.requestConfig && event.detail.requestConfig.elt;
    kept = [];
    if (!target) return;
    var forms = target.querySelectorAll("form[data-keep-open]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (unsaved(form) && !(sender && form.contains(sender))) kept.push(form);
    }
  });

  document.addEventListener("htmx:afterSwap", function () {
    var forms = kept;
    kept = [];
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var slot = document.getElementById(form.dataset.keepOpen);
      if (!slot) continue;
      if (form.hasAttribute("data-keep-open-inside")) {
        slot.replaceChildren(form);
      } else {
        slot.replaceWith(form);
      }
      if (window.htmx) window.htmx.process(form);
    }
  });
})();

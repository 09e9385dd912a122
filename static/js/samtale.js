/* Samtale's progressive enhancement. Every page works without this file: forms post normally and
   the server asks for confirmation on a page of its own. With it:
   - a form marked data-confirm asks in a <dialog> first, then posts with confirmed=yes;
   - an htmx request that fails outright says so in the page's live region. */
(function () {
  "use strict";

  function confirmDialog() {
    var dialog = document.getElementById("confirm-dialog");
    return dialog && typeof dialog.showModal === "function" ? dialog : null;
  }

  function markConfirmed(form) {
    var input = form.querySelector('input[name="confirmed"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirmed";
      form.appendChild(input);
    }
    input.value = "yes";
    form.dataset.confirmedOnce = "1";
  }

  function ask(form, submitter) {
    var dialog = confirmDialog();
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    var yes = dialog.querySelector("[data-confirm-yes]");
    yes.textContent = form.dataset.confirmButton || yes.dataset.defaultLabel;
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      function () {
        if (dialog.returnValue !== "yes") {
          return;
        }
        markConfirmed(form);
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        } else {
          form.submit();
        }
      },
      { once: true }
    );
    dialog.showModal();
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) {
        return;
      }
      if (form.dataset.confirmedOnce === "1") {
        delete form.dataset.confirmedOnce; // this submit is the confirmed one; the next asks again
        return;
      }
      if (!confirmDialog()) {
        return; // no dialog support: the server asks on a page of its own
      }
      event.preventDefault();
      event.stopImmediatePropagation(); // before htmx sees it
      ask(form, event.submitter);
    },
    true
  );

  function failed() {
    var region = document.getElementById("page-messages");
    if (region && region.dataset.failed) {
      region.innerHTML = "";
      var p = document.createElement("p");
      p.className = "message message--error";
      p.textContent = region.dataset.failed;
      region.appendChild(p);
    }
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();

// Small behaviours every page may use, without inline handlers (the Content-Security-Policy refuses them):
// <form data-confirm="Question ?"> asks before submitting; <select data-autosubmit> submits its form on change.
(function () {
  document.addEventListener("submit", function (event) {
    const question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
  });
})();

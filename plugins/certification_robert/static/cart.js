// « Commander des certifications » without a round trip: − / + and typed quantities recompute the line amounts
// and the totals in the page. Same rule as core.commerce (HT per line, TVA 20 % per line rounded half-up to the
// cent, totals summed from the lines); the server recomputes on « Commander » and its figures are the ones
// ordered. Without this script the buttons post the form and the server answers the recomputed page.
(function () {
  "use strict";
  const form = document.getElementById("order-form");
  if (!form) return;
  const MAX = 10000;
  const fmt = function (cents) {
    const units = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return units + "," + String(cents % 100).padStart(2, "0") + "\u00a0€";
  };
  const quantity = function (input) {
    const text = input.value.trim();
    return /^\d{1,5}$/.test(text) ? Math.min(parseInt(text, 10), MAX) : null;
  };
  const recompute = function () {
    let ht = 0;
    let tva = 0;
    form.querySelectorAll("input[data-unit-cents]").forEach(function (input) {
      const q = quantity(input);
      const line = parseInt(input.dataset.unitCents, 10) * (q || 0);
      ht += line;
      tva += Math.round(line / 5); // 20 % of whole cents never ends in a half: rounding is half-up here
      const cell = form.querySelector('[data-amount="' + input.name + '"]');
      if (cell) cell.textContent = q === null ? "—" : fmt(line);
    });
    document.getElementById("subtotal").textContent = fmt(ht);
    document.getElementById("tva").textContent = fmt(tva);
    document.getElementById("total").textContent = fmt(ht + tva);
  };
  form.addEventListener("click", function (event) {
    const button = event.target.closest("button[value^='moins:'], button[value^='plus:']");
    if (!button) return;
    const parts = button.value.split(":");
    const input = document.getElementById("qty-" + parts[1]);
    const q = quantity(input);
    if (q === null) return; // let the server name the invalid quantity
    event.preventDefault();
    input.value = String(Math.max(0, Math.min(MAX, q + (parts[0] === "plus" ? 1 : -1))));
    recompute();
  });
  form.addEventListener("input", recompute);
})();

// "Mon panier" dialog for the modules grid: a ticked cell goes to the cart at once and the cart opens.
// Without JavaScript the grid is a plain form posting to the same cart.
(function () {
  const grid = document.getElementById("modules-grid");
  const dialog = document.getElementById("cart-dialog");
  if (!grid || !dialog || typeof dialog.showModal !== "function") return;
  const body = document.getElementById("cart-dialog-body");
  const token = grid.querySelector("input[name=_csrf_token]").value;

  function sync(fragment) {
    const holder = fragment.querySelector("[data-ticked]");
    if (!holder) return;
    const ticked = new Set(holder.dataset.ticked.trim().split(/\s+/));
    grid.querySelectorAll("input[name=cell]").forEach(function (box) { box.checked = ticked.has(box.value); });
    const count = document.getElementById("cart-count");
    if (count) count.textContent = holder.dataset.count;
  }

  grid.addEventListener("change", async function (event) {
    const box = event.target;
    if (box.name !== "cell") return;
    const form = new URLSearchParams({ _csrf_token: token, office_id: box.dataset.office,
                                       module: box.dataset.module, checked: box.checked ? "1" : "0" });
    const response = await fetch("/config/modules/toggle", { method: "POST", body: form, credentials: "same-origin",
                                                             headers: { "X-Requested-With": "fetch" } });
    if (!response.ok || response.redirected) { window.location.reload(); return; }
    body.innerHTML = await response.text();
    sync(body);
    dialog.showModal();
  });
  dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
})();

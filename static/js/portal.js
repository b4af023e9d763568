// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
// Auto-submitting filter forms keep their submit button for keyboard and no-JS users.
// Choosing "Complete" for an action sets its progress box to 100 at once (the server applies
// the same rule whatever the browser sends).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.name !== "status" || !select.form) return;
  const progress = select.form.querySelector("input[name=progress]");
  if (progress && select.value === "complete") {
    progress.value = "100";
    progress.dispatchEvent(new Event("input", { bubbles: true }));
  }
});
// A body list narrowed by a register list (registration's forms) offers only the bodies that
// award the chosen register; without JavaScript every body is listed and the server refuses a
// wrong pair with a message.
function narrowBodies(form) {
  const register = form.querySelector("select[name=register]");
  const body = form.querySelector("select[name=body][data-narrowed-by=register]");
  if (!register || !body) return;
  for (const option of body.options) {
    if (!option.value) continue;
    const awards = (option.dataset.registers || "").split(" ");
    const offered = !register.value || awards.includes(register.value);
    option.hidden = !offered;
    option.disabled = !offered;
  }
  const chosen = body.selectedOptions[0];
  if (chosen && chosen.disabled) body.value = "";
}
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.name === "register" && select.form) {
    narrowBodies(select.form);
  }
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form").forEach(narrowBodies);
});

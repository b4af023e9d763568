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

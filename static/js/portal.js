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
// People pickers (portal.forms.PersonPicker): a search box whose suggestions htmx fetches as
// you type. Arrow keys move through them, Enter or a click chooses one (the box then holds the
// person's e-mail address), Escape closes the list. Without JavaScript the box is a plain
// search that the form resolves on the server.
function pickerParts(element) {
  const picker = element.closest("[data-person-picker]");
  if (!picker) return null;
  return {
    picker,
    input: picker.querySelector("[role=combobox]"),
    list: picker.querySelector("[role=listbox]"),
    status: picker.querySelector("[data-picker-status]"),
  };
}
function pickerOptions(parts) {
  return Array.from(parts.list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
}
function pickerOpen(parts, open) {
  parts.list.hidden = !open;
  parts.input.setAttribute("aria-expanded", open ? "true" : "false");
  if (!open) parts.input.removeAttribute("aria-activedescendant");
}
function pickerActivate(parts, option) {
  for (const other of pickerOptions(parts)) other.setAttribute("aria-selected", "false");
  if (!option) return;
  option.setAttribute("aria-selected", "true");
  parts.input.setAttribute("aria-activedescendant", option.id);
  option.scrollIntoView({ block: "nearest" });
}
function pickerChoose(parts, option) {
  parts.input.value = option.dataset.value;
  pickerOpen(parts, false);
  if (parts.status) parts.status.textContent = `${option.dataset.label || option.textContent.trim()} chosen.`;
  parts.input.focus();
}
document.addEventListener("htmx:afterSwap", (event) => {
  const parts = pickerParts(event.detail.target);
  if (!parts || event.detail.target !== parts.list) return;
  const options = pickerOptions(parts);
  pickerOpen(parts, parts.list.children.length > 0);
  if (parts.status) {
    parts.status.textContent = options.length === 1 ? "1 suggestion." : `${options.length} suggestions.`;
  }
});
document.addEventListener("keydown", (event) => {
  if (!(event.target instanceof HTMLInputElement) || event.target.getAttribute("role") !== "combobox") return;
  const parts = pickerParts(event.target);
  if (!parts) return;
  const options = pickerOptions(parts);
  const current = options.findIndex((option) => option.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!options.length) return;
    event.preventDefault();
    pickerOpen(parts, true);
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = current < 0 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length;
    pickerActivate(parts, options[next]);
  } else if (event.key === "Enter" && !parts.list.hidden && current >= 0) {
    event.preventDefault();
    pickerChoose(parts, options[current]);
  } else if (event.key === "Escape" && !parts.list.hidden) {
    event.preventDefault();
    pickerOpen(parts, false);
  }
});
document.addEventListener("click", (event) => {
  const option = event.target instanceof Element && event.target.closest("[data-person-picker] [role=option]");
  if (option && option.getAttribute("aria-disabled") !== "true") {
    pickerChoose(pickerParts(option), option);
    return;
  }
  for (const list of document.querySelectorAll("[data-person-picker] [role=listbox]:not([hidden])")) {
    if (!list.closest("[data-person-picker]").contains(event.target)) pickerOpen(pickerParts(list), false);
  }
});
// Tables that become cards on a phone (.stack-table): each cell is labelled with its column's
// name; and tables that scroll sideways say so, and can be scrolled by keyboard.
function labelStackTables() {
  for (const table of document.querySelectorAll("table.stack-table")) {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      Array.from(row.children).forEach((cell, index) => {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && headers[index]) {
          cell.setAttribute("data-label", headers[index]);
        }
      });
    }
  }
}
function markScrollingTables() {
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-scrolling", scrolls);
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      const caption = wrap.querySelector("caption");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  }
}
document.addEventListener("DOMContentLoaded", () => {
  labelStackTables();
  markScrollingTables();
});
document.addEventListener("htmx:afterSettle", () => {
  labelStackTables();
  markScrollingTables();
});
window.addEventListener("resize", markScrollingTables);

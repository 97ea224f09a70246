// The booking form lists the rooms of the chosen site: choosing another site
// reloads the form for it, keeping the day, times and number of people typed.
document.addEventListener("change", function (event) {
  const select = event.target.closest("select[data-reload-with]");
  if (!select) {
    return;
  }
  const form = select.form;
  const query = new URLSearchParams();
  query.set("site", select.value);
  for (const [name, key] of [["day", "day"], ["start", "start"], ["end", "end"], ["attendees", "people"]]) {
    const field = form.elements.namedItem(name);
    if (field && field.value) {
      query.set(key, field.value);
    }
  }
  window.location.assign(window.location.pathname + "?" + query.toString());
});

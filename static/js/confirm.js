// A button with data-confirm asks before its form is sent (cancel a booking,
// reject, remove): the question is the attribute's text, translated by the page.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

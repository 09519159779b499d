// The team pages with htmx. A form that htmx sends (a member's role) gets a whole page back:
// a refusal (400, 403, 404, 409) is a page too, with its reason, so htmx shows it like a
// success instead of leaving the page unchanged.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && (xhr.getResponseHeader("Content-Type") || "").startsWith("text/html")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A report's "Gửi báo cáo": with JavaScript, the page's <dialog> asks first (submitting cannot be
// undone) and its own form posts; without JavaScript the button's GET form leads to the
// confirmation page (/reports/:id/submit), which asks the same.
(() => {
  for (const form of document.querySelectorAll("form[data-confirm-dialog]")) {
    const dialog = document.getElementById(form.getAttribute("data-confirm-dialog"));
    if (!dialog || typeof dialog.showModal !== "function") continue;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      dialog.showModal();
    });
  }
})();

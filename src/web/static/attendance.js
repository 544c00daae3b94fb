// Attendance on a phone (/activities/:id/sessions/:sid): each tick is saved at once, without a
// reload. The page works without this file: the form's "Lưu" button posts every tick.
// Messages come from the page (data-* attributes), so they follow the page's language.
(() => {
  const form = document.querySelector("form[data-attendance]");
  if (!form || !window.fetch) return;
  const token = form.querySelector('input[name="_csrf"]')?.value ?? "";
  const live = document.getElementById("attendance-live");
  const hint = document.getElementById("roster-hint");
  if (hint && form.dataset.hintJs) hint.textContent = form.dataset.hintJs;

  /** Shows a row's state beside it and, for screen readers, in the live region. */
  function show(row, state, text, announce) {
    const status = row.querySelector("[data-status]");
    if (status) {
      status.textContent = text;
      status.className = `roster__status roster__status--${state}`;
    }
    if (live && announce) live.textContent = announce;
  }

  async function save(box, present) {
    const row = box.closest(".roster__row");
    show(row, "saving", form.dataset.saving ?? "");
    try {
      const res = await fetch(form.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "x-csrf-token": token,
        },
        body: JSON.stringify({ resident_id: Number(box.value), present }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok || !body.ok) throw new Error(body.message || form.dataset.failed || "");
      show(row, "saved", form.dataset.saved ?? "", body.message);
      const summary = document.getElementById("attendance-summary");
      if (summary && body.summary) summary.textContent = body.summary;
    } catch (err) {
      // Not saved: the box goes back to what the server holds, and the reason is shown.
      box.checked = !present;
      const message = err instanceof Error && err.message ? err.message : (form.dataset.failed ?? "");
      show(row, "error", message, message);
    }
  }

  // One request at a time per box, in the order of the taps, so the last tap wins.
  const queues = new WeakMap();
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    const present = box.checked;
    const previous = queues.get(box) ?? Promise.resolve();
    queues.set(
      box,
      previous.then(() => save(box, present)),
    );
  });
})();

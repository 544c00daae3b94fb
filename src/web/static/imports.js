// The page of an import that is running (/imports/jobs/:id): moves the progress bar in place by
// asking /imports/jobs/:id/status every second, and reloads the page once the import is over (the
// page then shows its result). Without JavaScript the page refreshes itself instead.
(() => {
  const box = document.querySelector("[data-job-status]");
  if (!box) return;
  const url = box.getAttribute("data-job-status");
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-job-text]");
  let failures = 0;

  const show = (status) => {
    if (typeof status.percent === "number") {
      bar.max = 100;
      bar.value = status.percent;
      bar.textContent = `${status.percent}%`;
    } else {
      bar.removeAttribute("value");
    }
    if (text && typeof status.text === "string") text.textContent = status.text;
  };

  const tick = async () => {
    try {
      const res = await fetch(url, {
        headers: { accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      // Gone (a restart, a sign-out) or finished: the page itself says what happened.
      if (!res.ok) return location.reload();
      const status = await res.json();
      if (status.state !== "running") return location.reload();
      failures = 0;
      show(status);
    } catch {
      // The server is unreachable for a moment: try again, more slowly; reload after a while.
      failures++;
      if (failures >= 10) return location.reload();
    }
    setTimeout(tick, failures ? 3000 : 1000);
  };
  setTimeout(tick, 1000);
})();

// The residents' pages work without JavaScript; this adds two buttons that need it, both in the
// page with `hidden` until this script shows them.
//
// "In" (print): opens the browser's print dialog (the print stylesheet lays the page out for paper).
(() => {
  for (const b of document.querySelectorAll("button[data-print]")) {
    b.hidden = false;
    b.addEventListener("click", () => window.print());
  }
})();

// "Nghe" (listen): reads a lesson or a question aloud with the browser's speech synthesis, in a
// Vietnamese voice when the device has one. Without speech synthesis, or with voices but none
// Vietnamese, the button stays hidden.
(() => {
  const synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  const buttons = [...document.querySelectorAll("button[data-listen]")];
  if (buttons.length === 0) return;

  const viVoice = () => synth.getVoices().find((v) => /^vi([-_]|$)/i.test(v.lang));
  const update = () => {
    const voices = synth.getVoices();
    // Some browsers list no voice until asked; then try with the language alone.
    const usable = voices.length === 0 || !!viVoice();
    for (const b of buttons) b.hidden = !usable;
  };
  update();
  if ("onvoiceschanged" in synth) synth.addEventListener("voiceschanged", update);

  /** Text blocks of a region, in reading order, skipping what is marked data-nolisten. */
  const chunks = (root) => {
    const out = [];
    for (const el of root.querySelectorAll("h1, h2, h3, p, li, dt, dd, legend, button.answer")) {
      if (el.closest("[data-nolisten]")) continue;
      if (el.matches("li") && el.querySelector("p, li")) continue;
      const text = el.textContent.replace(/\s+/g, " ").trim();
      // Long blocks are cut at sentence ends: some engines stop after ~15 s of speech.
      for (const part of text.match(/[^.!?;:]+[.!?;:]*/g) ?? []) if (part.trim()) out.push(part.trim());
    }
    return out;
  };

  let playing = null;
  const stop = () => {
    synth.cancel();
    if (playing) {
      playing.textContent = playing.dataset.label;
    }
    playing = null;
  };

  for (const b of buttons) {
    b.dataset.label = b.textContent;
    b.addEventListener("click", () => {
      if (playing === b) return stop();
      stop();
      const root = document.querySelector(b.dataset.listen);
      if (!root) return;
      const voice = viVoice();
      const parts = chunks(root);
      parts.forEach((text, i) => {
        const u = new SpeechSynthesisUtterance(text);
        u.lang = "vi-VN";
        if (voice) u.voice = voice;
        u.rate = 0.9;
        if (i === parts.length - 1) u.addEventListener("end", () => playing === b && stop());
        synth.speak(u);
      });
      playing = b;
      b.textContent = b.dataset.stop;
    });
  }
  window.addEventListener("pagehide", () => synth.cancel());
})();

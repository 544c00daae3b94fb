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

// "Nghe" (listen): reads a lesson or a question aloud with the browser's speech synthesis, each
// block in the voice of its language (its nearest `lang`: an English lesson in English, a
// Vietnamese one in Vietnamese). Without speech synthesis, or with voices but none for a language
// the text needs, the button stays hidden.
(() => {
  const synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  const buttons = [...document.querySelectorAll("button[data-listen]")];
  if (buttons.length === 0) return;

  /** The language of a block ("vi", "en"), from its nearest `lang` attribute. */
  const langOf = (el) => (el.closest("[lang]")?.getAttribute("lang") || "vi").slice(0, 2).toLowerCase();
  /** Text blocks of a region with their language, in reading order, skipping what is marked data-nolisten. */
  const chunks = (root) => {
    const out = [];
    for (const el of root.querySelectorAll("h1, h2, h3, p, li, dt, dd, legend, button.answer")) {
      if (el.closest("[data-nolisten]")) continue;
      if (el.matches("li") && el.querySelector("p, li")) continue;
      const text = el.textContent.replace(/\s+/g, " ").trim();
      const lang = langOf(el);
      // Long blocks are cut at sentence ends: some engines stop after ~15 s of speech.
      for (const part of text.match(/[^.!?;:]+[.!?;:]*/g) ?? [])
        if (part.trim()) out.push({ text: part.trim(), lang });
    }
    return out;
  };
  const TAGS = { vi: "vi-VN", en: "en-US" };
  const voiceFor = (lang) =>
    synth.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").split("-")[0] === lang);
  const update = () => {
    const voices = synth.getVoices();
    for (const b of buttons) {
      const root = document.querySelector(b.dataset.listen);
      const langs = new Set(root ? chunks(root).map((c) => c.lang) : []);
      // Some browsers list no voice until asked; then try with the language alone.
      b.hidden = !(voices.length === 0 || [...langs].every((l) => voiceFor(l)));
    }
  };
  update();
  if ("onvoiceschanged" in synth) synth.addEventListener("voiceschanged", update);

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
      const parts = chunks(root);
      parts.forEach(({ text, lang }, i) => {
        const u = new SpeechSynthesisUtterance(text);
        u.lang = TAGS[lang] ?? lang;
        const voice = voiceFor(lang);
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

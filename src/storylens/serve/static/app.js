// storylens page script: the paste box asks POST /api/similar which stored story a pasted
// article is closest to. Everything shown comes back through textContent (never innerHTML).
(function () {
  const button = document.getElementById("paste-go");
  if (!button) return;
  const box = document.getElementById("paste-text");
  const result = document.getElementById("paste-result");
  const threshold = parseFloat(button.dataset.threshold);
  button.addEventListener("click", async function () {
    const text = box.value.trim();
    if (!text) { result.textContent = "Paste an article first."; return; }
    const type = text.startsWith("<") ? "text/html" : "text/plain";
    result.textContent = "Looking…";
    try {
      const response = await fetch("/api/similar?k=1", {method: "POST", headers: {"Content-Type": type + "; charset=utf-8"}, body: text});
      const data = await response.json();
      if (!response.ok) { result.textContent = "Error: " + data.error; return; }
      const best = data.similar[0];
      if (best && best.story_id && best.overall <= threshold) {
        window.location.href = "/stories/" + encodeURIComponent(best.story_id);
        return;
      }
      result.textContent = best
        ? "New story: the closest stored article is “" + best.title + "” (overall " + best.overall.toFixed(2) + ", not close enough)."
        : "New story: nothing is stored yet.";
      result.className = "note new";
    } catch (error) {
      result.textContent = "Error: " + error;
    }
  });
})();

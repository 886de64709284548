// Draws a firm's score history (a small line) and, on the model page, the calibration plot and
// the feature importance, each from the JSON block its page embeds.
(function () {
  if (!window.Chart) return;
  function data(id) {
    const source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }
  const history = data("score-data");
  const scoreCanvas = document.getElementById("score-chart");
  if (history && scoreCanvas) {
    new window.Chart(scoreCanvas, {
      type: "line",
      // On the page's own scale: index points and a probability in per cent both run 0 to 100.
      data: { labels: history.days, datasets: [{ data: history.scores.map(function (score) { return Math.round(score * 1000) / 10; }), borderColor: "#0d6efd", tension: 0.2, pointRadius: 2 }] },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
    });
  }
  const calibration = data("calibration-data");
  const calibrationCanvas = document.getElementById("calibration-chart");
  if (calibration && calibrationCanvas) {
    const datasets = calibration.series.map(function (series, i) {
      const colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1"];
      return { label: series.name, data: series.points, showLine: true, borderColor: colours[i % 4], backgroundColor: colours[i % 4] };
    });
    datasets.push({ label: calibration.perfect, data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, borderDash: [4, 4], borderColor: "#adb5bd", pointRadius: 0 });
    new window.Chart(calibrationCanvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { x: { min: 0, max: 1, title: { display: true, text: calibration.x } }, y: { min: 0, max: 1, title: { display: true, text: calibration.y } } } },
    });
  }
  const importance = data("importance-data");
  const importanceCanvas = document.getElementById("importance-chart");
  if (importance && importanceCanvas) {
    new window.Chart(importanceCanvas, {
      type: "bar",
      data: { labels: importance.labels, datasets: [{ label: importance.title, data: importance.values, backgroundColor: "rgba(13,110,253,0.6)" }] },
      options: { indexAxis: "y", animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { ticks: { autoSkip: false } } } },
    });
  }
  const progress = document.getElementById("training-progress");
  if (progress) {
    const bar = progress.querySelector(".progress-bar");
    const timer = setInterval(function () {
      fetch(progress.dataset.url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { clearInterval(timer); throw new Error(response.status); }
          return response.json();
        })
        .then(function (state) {
          bar.style.width = state.progress + "%";
          bar.textContent = state.progress + "%";
          if (state.state !== "running") { clearInterval(timer); window.location.reload(); }
        });
    }, 1500);
  }
})();

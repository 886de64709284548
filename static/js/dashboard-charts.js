// Draws every dashboard chart from the JSON block beside its canvas; the same numbers are in
// the table under "Show the numbers". Marks each canvas drawn, so tests can tell.
(function () {
  if (!window.Chart) return;
  const colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#6c757d", "#ffc107"];
  const percent = function (value) { return Math.round(value * 1000) / 10 + "%"; };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const line = spec.kind === "line";
    const datasets = spec.series.map(function (series, i) {
      const colour = spec.series.length === 1 && !line ? "rgba(13,110,253,0.7)" : colours[i % colours.length];
      return { label: series.label, data: series.values, borderColor: colour, backgroundColor: colour, tension: 0.2, spanGaps: true };
    });
    const horizontal = !line && spec.labels.length > 6;
    if (horizontal) {
      // A bar per label, each tall enough to read its name on a tablet (80 managers, 14 sub-districts).
      canvas.parentElement.style.height = Math.max(260, 22 * spec.labels.length + 60) + "px";
    }
    const valueAxis = { beginAtZero: true, stacked: spec.stacked };
    if (spec.percent) { valueAxis.ticks = { callback: percent }; valueAxis.suggestedMax = 1; }
    new window.Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: spec.series.length > 1, position: "bottom", labels: { boxWidth: 12 } },
          tooltip: spec.percent ? { callbacks: { label: function (item) { return item.dataset.label + ": " + percent(item.raw); } } } : {},
        },
        scales: horizontal
          ? { x: valueAxis, y: { stacked: spec.stacked, ticks: { autoSkip: false } } }
          : { y: valueAxis, x: { stacked: spec.stacked } },
      },
    });
    canvas.dataset.rendered = "true";
  });
})();

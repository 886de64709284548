// Draws a firm's revenue and R&D spend by year from the JSON block the page embeds.
(function () {
  const source = document.getElementById("figures-data");
  const canvas = document.getElementById("figures-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.years,
      datasets: [
        { label: data.labels.revenue, data: data.revenue, backgroundColor: "rgba(13,110,253,0.6)" },
        { label: data.labels.rd, data: data.rd, backgroundColor: "rgba(25,135,84,0.7)" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true } },
    },
  });
})();

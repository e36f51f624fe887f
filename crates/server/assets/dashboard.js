// dualtrace dashboard: draws every <canvas data-chart="TYPE"> from the JSON block
// <script type="application/json" id="CANVAS_ID-data"> ({"labels": [...], "datasets": [...]}).
// No inline scripts (the pages' Content-Security-Policy forbids them); Chart.js is vendored.
(function () {
  'use strict';
  function draw(canvas) {
    var source = document.getElementById(canvas.id + '-data');
    if (!source || typeof Chart === 'undefined') { return; }
    var data = JSON.parse(source.textContent);
    var stacked = canvas.dataset.stacked === 'true';
    new Chart(canvas, {
      type: canvas.dataset.chart,
      data: data,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
    canvas.dataset.rendered = 'true';
  }
  document.querySelectorAll('canvas[data-chart]').forEach(draw);
})();

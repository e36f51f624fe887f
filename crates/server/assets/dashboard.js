// dualtrace dashboard: draws every <canvas data-chart="TYPE"> from the JSON block
// <script type="application/json" id="CANVAS_ID-data"> ({"labels": [...], "datasets": [...]}).
// data-stacked="true" stacks the datasets; data-horizontal="true" draws bars across;
// data-max="100" fixes the top of the value axis.
// No inline scripts (the pages' Content-Security-Policy forbids them); Chart.js is vendored.
(function () {
  'use strict';
  function draw(canvas) {
    var source = document.getElementById(canvas.id + '-data');
    if (!source || typeof Chart === 'undefined') { return; }
    var data = JSON.parse(source.textContent);
    var stacked = canvas.dataset.stacked === 'true';
    var horizontal = canvas.dataset.horizontal === 'true';
    var scales = {
      x: { stacked: stacked, beginAtZero: true },
      y: { stacked: stacked, beginAtZero: true }
    };
    if (canvas.dataset.max) { scales[horizontal ? 'x' : 'y'].max = Number(canvas.dataset.max); }
    new Chart(canvas, {
      type: canvas.dataset.chart,
      data: data,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        scales: scales,
        plugins: { legend: { position: 'bottom' } }
      }
    });
    canvas.dataset.rendered = 'true';
  }
  document.querySelectorAll('canvas[data-chart]').forEach(draw);
})();

// Draws a tenant's 12-month trend from its data URL (the canvas's
// data-trend), with the days scoreflow changed something marked. The
// words come from the canvas too (data-series, data-markers, data-axis,
// data-failed), in the tenant's language.
(function () {
  "use strict";
  var canvas = document.getElementById("trend");
  if (!canvas || typeof Chart === "undefined") {
    return;
  }
  fetch(canvas.dataset.trend, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status + " " + response.statusText);
      }
      return response.json();
    })
    .then(function (trend) {
      var byDay = {};
      trend.days.forEach(function (d) { byDay[d.day] = d.percent; });
      new Chart(canvas, {
        type: "line",
        data: {
          labels: trend.days.map(function (d) { return d.day; }),
          datasets: [
            { label: canvas.dataset.series, data: trend.days.map(function (d) { return d.percent; }),
              borderColor: "#1f5fa8", pointRadius: 0, borderWidth: 2 },
            { label: canvas.dataset.markers, type: "scatter",
              data: trend.markers.filter(function (m) { return m.day in byDay; })
                .map(function (m) { return { x: m.day, y: byDay[m.day], label: m.label }; }),
              backgroundColor: "#d9822b", pointRadius: 5 }
          ]
        },
        options: {
          animation: false,
          responsive: false,
          scales: { y: { title: { display: true, text: canvas.dataset.axis } } },
          plugins: { tooltip: { callbacks: { label: function (item) { return item.raw.label || (item.formattedValue + " %"); } } } }
        }
      });
      canvas.dataset.drawn = "true";
    })
    .catch(function (err) {
      canvas.insertAdjacentText("afterend", canvas.dataset.failed + " " + err.message);
    });
})();

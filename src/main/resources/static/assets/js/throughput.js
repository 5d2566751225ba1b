// Records done per second over the last minutes, computed here from the progress events:
// each event's increase of `done` over the batch's previous value is counted in the
// bucket of the moment it arrived. Drawn with the vendored Chart.js (global `Chart`).

const BUCKET_SECONDS = 5;
const WINDOW_SECONDS = 300;
const BUCKETS = WINDOW_SECONDS / BUCKET_SECONDS;

/** The throughput series and its chart. */
export class Throughput {
  constructor(canvas, summary) {
    this.canvas = canvas;
    this.summary = summary;
    this.counts = new Map();
    this.chart = null;
    this.timer = null;
  }

  start() {
    this.chart = createChart(this.canvas);
    this.timer = setInterval(() => this.draw(), 1000);
    this.draw();
    return this;
  }

  stop() {
    clearInterval(this.timer);
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
  }

  /** Counts {@code records} records done now. */
  add(records, atMillis = Date.now()) {
    if (!(records > 0)) {
      return;
    }
    const bucket = Math.floor(atMillis / 1000 / BUCKET_SECONDS);
    this.counts.set(bucket, (this.counts.get(bucket) || 0) + records);
  }

  /** Records per second, oldest bucket first, the newest being the current one. */
  series(nowMillis = Date.now()) {
    const newest = Math.floor(nowMillis / 1000 / BUCKET_SECONDS);
    for (const bucket of this.counts.keys()) {
      if (bucket <= newest - BUCKETS) {
        this.counts.delete(bucket);
      }
    }
    const points = [];
    for (let i = BUCKETS - 1; i >= 0; i--) {
      points.push({ x: -i * BUCKET_SECONDS, y: (this.counts.get(newest - i) || 0) / BUCKET_SECONDS });
    }
    return points;
  }

  draw() {
    const points = this.series();
    // The current bucket is still filling: the rate "now" is the last complete 30 s.
    const recent = points.slice(-7, -1);
    const now = recent.reduce((sum, point) => sum + point.y, 0) / recent.length;
    const peak = points.reduce((max, point) => Math.max(max, point.y), 0);
    const total = points.reduce((sum, point) => sum + point.y * BUCKET_SECONDS, 0);
    const text = `${format(now)} records/s over the last 30 s · peak ${format(peak)}/s · `
      + `${Math.round(total)} records in ${WINDOW_SECONDS / 60} min`;
    if (this.summary.textContent !== text) {
      this.summary.textContent = text;
      this.canvas.setAttribute('aria-label', `Throughput chart: ${text}`);
    }
    if (this.chart) {
      this.chart.data.datasets[0].data = points;
      this.chart.update('none');
    }
  }
}

function format(value) {
  return value >= 10 || value === 0 ? String(Math.round(value)) : value.toFixed(1);
}

function createChart(canvas) {
  if (typeof window.Chart !== 'function') {
    return null;
  }
  const styles = getComputedStyle(document.documentElement);
  const line = styles.getPropertyValue('--accent').trim() || '#2563eb';
  const grid = styles.getPropertyValue('--grid').trim() || '#e5e7eb';
  return new window.Chart(canvas, {
    type: 'line',
    data: {
      datasets: [{
        label: 'records/s',
        data: [],
        borderColor: line,
        backgroundColor: `${line}33`,
        fill: true,
        pointRadius: 0,
        borderWidth: 2,
        tension: 0.25,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      plugins: { legend: { display: false }, tooltip: { enabled: true, intersect: false } },
      scales: {
        x: {
          type: 'linear',
          min: -WINDOW_SECONDS,
          max: 0,
          grid: { color: grid },
          ticks: {
            stepSize: 60,
            callback: (value) => (value === 0 ? 'now' : `${Math.round(value / 60)} min`),
          },
        },
        y: {
          beginAtZero: true,
          suggestedMax: 1,
          grid: { color: grid },
          title: { display: true, text: 'records/s' },
        },
      },
    },
  });
}

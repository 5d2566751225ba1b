// Records per minute per subscription over the last hour, as the server keeps them
// (GET /api/v1/monitoring/throughput, 24 hours at most), then followed live by the
// `throughput` events of the dashboard stream: the chart shows the past the moment the
// page opens, and its figures are the server's. Drawn with Chart.js from its WebJar
// (global `Chart`), one line per subscription.

import { getJson } from './api.js';

const MINUTES = 60;
const MINUTE_MS = 60000;
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#db2777'];

/** The throughput series of every subscription, and their chart. */
export class Throughput {
  constructor(canvas, summary) {
    this.canvas = canvas;
    this.summary = summary;
    // subscriptionId → Map(minute start in ms → { records, calls, errors })
    this.series = new Map();
    this.loaded = new Set();
    this.chart = null;
    this.timer = null;
  }

  start() {
    this.chart = createChart(this.canvas);
    // The minutes move on even when nothing happens.
    this.timer = setInterval(() => this.draw(), 5000);
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

  /** Reads the history of the subscriptions not read yet (all of them when {@code again}). */
  async load(subscriptionIds, again = false) {
    const wanted = subscriptionIds.filter((id) => again || !this.loaded.has(id));
    await Promise.all(wanted.map(async (id) => {
      this.loaded.add(id);
      const view = await getJson(`/api/v1/monitoring/throughput?subscriptionId=${encodeURIComponent(id)}`
        + `&minutes=${MINUTES}`).catch(() => null);
      if (!view) {
        this.loaded.delete(id);
        return;
      }
      const minutes = this.minutes(id);
      for (const point of view.points || []) {
        minutes.set(Date.parse(point.at), point);
      }
    }));
    this.draw();
  }

  /** A `throughput` event: the latest value of one minute of one subscription. */
  apply(event) {
    if (!event || !event.subscriptionId || !event.at) {
      return;
    }
    this.minutes(event.subscriptionId).set(Date.parse(event.at), event);
    this.draw();
  }

  minutes(id) {
    let minutes = this.series.get(id);
    if (!minutes) {
      minutes = new Map();
      this.series.set(id, minutes);
    }
    return minutes;
  }

  draw(nowMillis = Date.now()) {
    const current = Math.floor(nowMillis / MINUTE_MS) * MINUTE_MS;
    const oldest = current - (MINUTES - 1) * MINUTE_MS;
    const ids = [...this.series.keys()].sort();
    let records = 0;
    let calls = 0;
    let errors = 0;
    let thisMinute = 0;
    const datasets = ids.map((id, index) => {
      const minutes = this.series.get(id);
      const points = [];
      for (const [at, point] of minutes) {
        if (at < oldest - MINUTE_MS) {
          minutes.delete(at);
        }
      }
      for (let at = oldest; at <= current; at += MINUTE_MS) {
        const point = minutes.get(at);
        const done = point ? point.records : 0;
        records += done;
        calls += point ? point.calls : 0;
        errors += point ? point.errors : 0;
        if (at === current) {
          thisMinute += done;
        }
        points.push({ x: (at - current) / MINUTE_MS, y: done });
      }
      const color = COLORS[index % COLORS.length];
      return { label: id, data: points, borderColor: color, backgroundColor: `${color}22`, fill: false,
        pointRadius: 0, borderWidth: 2, tension: 0.2 };
    });
    const text = `${formatNumber(thisMinute)} records this minute · ${formatNumber(records)} records in `
      + `${MINUTES} min · ${formatNumber(calls)} calls · ${formatNumber(errors)} errors`;
    if (this.summary.textContent !== text) {
      this.summary.textContent = text;
      this.canvas.setAttribute('aria-label', `Throughput chart, records per minute per subscription: ${text}`);
    }
    this.summary.dataset.records = String(records);
    if (this.chart) {
      this.chart.data.datasets = datasets;
      this.chart.options.plugins.legend.display = datasets.length > 1;
      this.chart.update('none');
    }
  }
}

function formatNumber(value) {
  return new Intl.NumberFormat().format(value);
}

function createChart(canvas) {
  if (typeof window.Chart !== 'function') {
    return null;
  }
  const styles = getComputedStyle(document.documentElement);
  const grid = styles.getPropertyValue('--grid').trim() || '#e5e7eb';
  return new window.Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      plugins: { legend: { display: false, position: 'bottom' }, tooltip: { enabled: true, intersect: false } },
      scales: {
        x: {
          type: 'linear',
          min: -(MINUTES - 1),
          max: 0,
          grid: { color: grid },
          ticks: {
            stepSize: 10,
            callback: (value) => (value === 0 ? 'now' : `${value} min`),
          },
        },
        y: {
          beginAtZero: true,
          suggestedMax: 1,
          grid: { color: grid },
          title: { display: true, text: 'records/min' },
        },
      },
    },
  });
}

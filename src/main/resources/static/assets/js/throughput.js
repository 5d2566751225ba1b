// Records or calls per minute per subscription over the last hour, as the server keeps
// them (GET /api/v1/monitoring/throughput, 24 hours at most, in all and per direction),
// then followed live by the `throughput` events of the dashboard stream: the chart shows
// the past the moment the page opens, and its figures are the server's. Drawn with
// Chart.js from its WebJar (global `Chart`), one line per subscription; a selector
// switches between records, Stamped.io calls and iPaaS.com calls.

import { getJson } from './api.js';

const MINUTES = 60;
const MINUTE_MS = 60000;
/** What the chart can show: label, axis title, and the value of one minute. */
export const MEASURES = {
  records: { label: 'Records', axis: 'records/min', value: (point) => point.records || 0 },
  stamped: { label: 'Stamped.io calls', axis: 'Stamped.io calls/min', value: (point) => directionCalls(point, 'stamped') },
  ipaas: { label: 'iPaaS.com calls', axis: 'iPaaS.com calls/min', value: (point) => directionCalls(point, 'ipaas') },
};

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
    this.measure = 'records';
  }

  /** Shows {@code measure} (a key of MEASURES) per minute. */
  show(measure) {
    if (MEASURES[measure]) {
      this.measure = measure;
      if (this.chart) {
        this.chart.options.scales.y.title.text = MEASURES[measure].axis;
      }
      this.draw();
    }
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
    const measure = MEASURES[this.measure];
    let records = 0;
    let stampedCalls = 0;
    let ipaasCalls = 0;
    let errors = 0;
    let thisMinute = 0;
    const datasets = ids.map((id, index) => {
      const minutes = this.series.get(id);
      const points = [];
      for (const [at] of minutes) {
        if (at < oldest - MINUTE_MS) {
          minutes.delete(at);
        }
      }
      for (let at = oldest; at <= current; at += MINUTE_MS) {
        const point = minutes.get(at);
        const done = point ? point.records : 0;
        records += done;
        stampedCalls += point ? directionCalls(point, 'stamped') : 0;
        ipaasCalls += point ? directionCalls(point, 'ipaas') : 0;
        errors += point ? point.errors : 0;
        if (at === current) {
          thisMinute += done;
        }
        points.push({ x: (at - current) / MINUTE_MS, y: point ? measure.value(point) : 0 });
      }
      const color = COLORS[index % COLORS.length];
      return { label: id, data: points, borderColor: color, backgroundColor: `${color}22`, fill: false,
        pointRadius: 0, borderWidth: 2, tension: 0.2 };
    });
    const text = `${formatNumber(thisMinute)} records this minute · ${formatNumber(records)} records in `
      + `${MINUTES} min · ${formatNumber(stampedCalls)} Stamped.io calls · ${formatNumber(ipaasCalls)} iPaaS.com calls`
      + ` · ${formatNumber(errors)} errors`;
    if (this.summary.textContent !== text || this.canvas.dataset.measure !== this.measure) {
      this.summary.textContent = text;
      this.canvas.dataset.measure = this.measure;
      this.canvas.setAttribute('aria-label',
        `Throughput chart, ${measure.axis} per subscription: ${text}`);
    }
    this.summary.dataset.records = String(records);
    this.summary.dataset.stampedCalls = String(stampedCalls);
    this.summary.dataset.ipaasCalls = String(ipaasCalls);
    if (this.chart) {
      this.chart.data.datasets = datasets;
      this.chart.options.plugins.legend.display = datasets.length > 1;
      this.chart.update('none');
    }
  }
}

/**
 * A minute's calls in one direction. A gateway that does not tell the directions apart
 * counts all its calls as Stamped.io calls.
 */
function directionCalls(point, direction) {
  const counts = point.directions && point.directions[direction];
  if (counts) {
    return counts.calls || 0;
  }
  return direction === 'stamped' && !point.directions ? point.calls || 0 : 0;
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

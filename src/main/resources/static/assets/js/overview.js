// The main view: subscriptions, batches, throughput and the latest errors, live.

import { getJson } from './api.js';
import { OUTCOMES, h, replace, setText, formatNumber, formatRate, formatDuration, formatTime, shortId,
  progressBar, isFinal, statusLabel, limitLabel, formatDirections } from './dom.js';
import { LiveStream } from './live.js';
import { fromView, applyProgress, applyStatus, merge, displayOrder } from './batches.js';
import { fromHealth, fromSettings, SubscriptionRow } from './subscriptions.js';
import { Throughput, MEASURES } from './throughput.js';
import { loadErrors } from './errors.js';
import { loadSettings } from './settings.js';

const FINISHED_SHOWN = 15;

/** Shows the overview in {@code main}; answers a function that tears it down. */
export function showOverview(main, { onConnection, beforeReopen }) {
  const view = new Overview(main, onConnection, beforeReopen);
  view.start();
  return () => view.stop();
}

class Overview {
  constructor(main, onConnection, beforeReopen) {
    this.main = main;
    this.onConnection = onConnection;
    this.beforeReopen = beforeReopen;
    this.batches = new Map();
    this.batchRows = new Map();
    this.subscriptions = new Map();
    this.subscriptionRows = new Map();
    this.settings = null;
    this.monitoring = 'unknown';
    this.clockOffset = 0;
    this.pending = new Set();
    this.timers = [];
    this.renderQueued = false;
  }

  start() {
    this.layout();
    this.throughput = new Throughput(this.chartCanvas, this.chartSummary).start();
    this.stream = new LiveStream('/api/v1/events', {
      progress: (event) => this.onProgress(event),
      status: (event) => this.onStatus(event),
      subscription: (event) => this.onSubscription(event),
      throughput: (event) => this.throughput.apply(event),
    }, {
      onState: this.onConnection,
      // This stream has no ids to resume from: after a gap, read everything again.
      onResume: () => this.reload(true),
      beforeReopen: this.beforeReopen,
    }).open();
    this.reload();
    this.timers.push(setInterval(() => this.tick(), 1000));
    // A safety net under the live stream: read everything again now and then (the
    // gateway's stamped-sync.dashboard.reload-interval; 0 switches it off).
    loadSettings().then(({ reloadSeconds }) => {
      if (reloadSeconds > 0 && !this.stopped) {
        this.timers.push(setInterval(() => this.reload(), reloadSeconds * 1000));
      }
    });
  }

  stop() {
    this.stopped = true;
    this.stream.close();
    this.throughput.stop();
    this.timers.forEach(clearInterval);
    clearTimeout(this.errorsTimer);
  }

  layout() {
    this.subscriptionBody = h('tbody');
    this.subscriptionNote = h('p', { class: 'note' });
    this.batchBody = h('tbody');
    this.chartCanvas = h('canvas', { role: 'img', 'aria-label': 'Throughput chart' });
    this.chartSummary = h('p', { class: 'chart-summary', id: 'throughput-summary' });
    this.chartMeasure = h('select', { id: 'throughput-measure', class: 'measure' },
      ...Object.entries(MEASURES).map(([key, measure]) => h('option', { value: key }, `${measure.label} per minute`)));
    this.chartMeasure.addEventListener('change', () => this.throughput.show(this.chartMeasure.value));
    this.errorBody = h('tbody');
    this.errorNote = h('p', { class: 'note' });
    replace(this.main,
      panel('subscriptions', 'Subscriptions', this.subscriptionNote,
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'subscriptions-table' },
          h('caption', { class: 'visually-hidden' }, 'Subscriptions with health and call rate against the limit'),
          h('thead', {}, h('tr', {}, ...['Subscription', 'Health', 'Stamped.io calls', 'iPaaS.com calls',
            'Batches', 'Records waiting', 'Last error'].map((title) => h('th', { scope: 'col' }, title)))),
          this.subscriptionBody))),
      panel('batches', 'Batches', h('p', { class: 'note' },
        'Running, paused and queued batches, then the latest finished ones. Open a batch for its log and records.'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'batches-table' },
        h('caption', { class: 'visually-hidden' }, 'Batches with progress, counts per outcome, call rate and ETA'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Batch'), h('th', { scope: 'col' }, 'Subscription'),
          h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col', class: 'progress-col' }, 'Progress'),
          ...OUTCOMES.map((outcome) => h('th', { scope: 'col', class: 'num' }, outcome)),
          h('th', { scope: 'col', class: 'num' }, 'Calls/min'), h('th', { scope: 'col', class: 'num' }, 'ETA'))),
        this.batchBody))),
      h('div', { class: 'grid' },
        panel('throughput', 'Throughput',
          h('p', { class: 'chart-controls' }, h('label', { for: 'throughput-measure' }, 'Show '), this.chartMeasure),
          this.chartSummary,
          h('div', { class: 'chart-box' }, this.chartCanvas)),
        panel('errors', 'Latest errors', this.errorNote,
          h('div', { class: 'table-wrap errors-wrap', tabindex: 0, role: 'region', 'aria-label': 'Latest errors' }, h('table', { class: 'data', id: 'errors-table' },
            h('caption', { class: 'visually-hidden' }, 'The latest errors with code and message'),
            h('thead', {}, h('tr', {}, ...['When', 'Batch', 'Customer', 'Code', 'Message']
              .map((title) => h('th', { scope: 'col' }, title)))),
            this.errorBody)))));
  }

  async reload(afterGap = false) {
    try {
      const before = new Map([...this.batches].map(([id, batch]) => [id, batch.statusEvents]));
      const list = await getJson('/api/v1/batches?limit=100');
      for (const view of list || []) {
        const known = this.batches.get(view.id);
        if (known) {
          merge(known, view, before.get(view.id) ?? 0);
        } else {
          this.batches.set(view.id, fromView(view));
        }
      }
      await this.loadSubscriptions();
      // The chart's history is the server's: read once, and again after a gap.
      await this.throughput.load([...this.subscriptions.keys()], afterGap);
      this.render();
      this.refreshErrors();
    } catch (error) {
      setText(this.subscriptionNote, `Could not load: ${error.message}`);
    }
  }

  async loadSubscriptions() {
    const monitoring = await getJson('/api/v1/monitoring');
    if (monitoring) {
      this.monitoring = 'api';
      if (monitoring.at) {
        this.clockOffset = Date.parse(monitoring.at) - Date.now();
      }
      for (const entry of monitoring.subscriptions || []) {
        const subscription = fromHealth(entry);
        this.subscriptions.set(subscription.id, subscription);
      }
      setText(this.subscriptionNote, 'Calls in the current window against each limit, live.');
      return;
    }
    this.monitoring = 'fallback';
    this.settings = (await getJson('/api/v1/subscriptions')) || [];
    this.deriveSubscriptions();
    setText(this.subscriptionNote,
      'This gateway has no monitoring endpoint: health comes from the batches, and only the limits are shown.');
  }

  deriveSubscriptions() {
    if (this.monitoring !== 'fallback' || !this.settings) {
      return;
    }
    const batches = [...this.batches.values()];
    for (const settings of this.settings) {
      this.subscriptions.set(settings.id, fromSettings(settings, batches));
    }
  }

  onSubscription(event) {
    const subscription = fromHealth(event);
    if (!subscription.id) {
      return;
    }
    this.monitoring = 'api';
    this.subscriptions.set(subscription.id, subscription);
    this.scheduleRender();
  }

  onProgress(event) {
    let batch = this.batches.get(event.batchId);
    if (!batch) {
      batch = this.stub(event.batchId, 'running');
      batch.done = event.done;
    }
    const failuresBefore = batch.counts.failed + batch.counts.rejected;
    applyProgress(batch, event);
    if (batch.counts.failed + batch.counts.rejected > failuresBefore) {
      this.refreshErrorsSoon();
    }
    this.scheduleRender();
  }

  onStatus(event) {
    if (!event.batchId || event.status === 'receiving') {
      return;
    }
    const batch = this.batches.get(event.batchId) || this.stub(event.batchId, event.status);
    applyStatus(batch, event);
    if (isFinal(event.status)) {
      // The final counts, finish time and calls per minute as the journal has them.
      this.fetchBatch(event.batchId);
      this.refreshErrorsSoon();
    }
    this.scheduleRender();
  }

  /** A batch only known from an event so far; its view is read at once. */
  stub(id, status) {
    const batch = fromView({ id, status, total: 0, done: 0 });
    this.batches.set(id, batch);
    this.fetchBatch(id);
    return batch;
  }

  async fetchBatch(id) {
    if (this.pending.has(id)) {
      return;
    }
    this.pending.add(id);
    const before = this.batches.get(id)?.statusEvents ?? 0;
    try {
      const view = await getJson(`/api/v1/batches/${encodeURIComponent(id)}`);
      const batch = this.batches.get(id);
      if (view && batch) {
        merge(batch, view, before);
        this.scheduleRender();
      }
    } catch {
      // The next event or reload brings it.
    } finally {
      this.pending.delete(id);
    }
  }

  scheduleRender() {
    if (this.renderQueued) {
      return;
    }
    this.renderQueued = true;
    setTimeout(() => {
      this.renderQueued = false;
      if (!this.stopped) {
        this.render();
      }
    }, 100);
  }

  render() {
    this.deriveSubscriptions();
    this.renderSubscriptions();
    this.renderBatches();
  }

  renderSubscriptions() {
    const ids = [...this.subscriptions.keys()].sort();
    ids.forEach((id) => {
      let row = this.subscriptionRows.get(id);
      if (!row) {
        row = new SubscriptionRow(id);
        this.subscriptionRows.set(id, row);
      }
      row.update(this.subscriptions.get(id), this.clockOffset);
    });
    for (const [id, row] of this.subscriptionRows) {
      if (!this.subscriptions.has(id)) {
        row.element.remove();
        this.subscriptionRows.delete(id);
      }
    }
    reorder(this.subscriptionBody, ids.map((id) => this.subscriptionRows.get(id).element),
      emptyRow(7, 'No subscriptions configured.'));
  }

  renderBatches() {
    const shown = displayOrder([...this.batches.values()], FINISHED_SHOWN);
    const rows = shown.map((batch) => {
      let row = this.batchRows.get(batch.id);
      if (!row) {
        row = new BatchRow(batch.id);
        this.batchRows.set(batch.id, row);
      }
      row.update(batch);
      return row.element;
    });
    const shownIds = new Set(shown.map((batch) => batch.id));
    for (const [id, row] of this.batchRows) {
      if (!shownIds.has(id)) {
        row.element.remove();
        this.batchRows.delete(id);
      }
    }
    reorder(this.batchBody, rows, emptyRow(12, 'No batches yet. Submit one to POST /api/v1/subscriptions/{id}/batches.'));
    this.pruneFinished();
  }

  /** Keeps the memory of finished batches bounded on a page left open for days. */
  pruneFinished() {
    const finished = [...this.batches.values()].filter((batch) => isFinal(batch.status));
    if (finished.length > 200) {
      const keep = new Set(displayOrder(finished, 100).map((batch) => batch.id));
      finished.filter((batch) => !keep.has(batch.id)).forEach((batch) => this.batches.delete(batch.id));
    }
  }

  tick() {
    for (const row of this.subscriptionRows.values()) {
      row.tick(this.clockOffset);
    }
  }

  refreshErrorsSoon() {
    clearTimeout(this.errorsTimer);
    this.errorsTimer = setTimeout(() => this.refreshErrors(), 1500);
  }

  async refreshErrors() {
    try {
      const { entries, source } = await loadErrors([...this.batches.values()]);
      if (this.stopped) {
        return;
      }
      setText(this.errorNote, source);
      const rows = entries.map((entry) => h('tr', {},
        h('td', { class: 'nowrap' }, formatTime(entry.occurredAt)),
        h('td', { class: 'nowrap' }, entry.subscriptionId || '–', h('br'), entry.batchId
          ? h('a', { href: `#/batches/${encodeURIComponent(entry.batchId)}`, 'aria-label': `Batch ${entry.batchId}`,
            class: 'mono' }, shortId(entry.batchId))
          : ''),
        h('td', {}, customer(entry)),
        h('td', {}, h('code', {}, entry.code || '–')),
        h('td', { class: 'message' }, entry.message || '')));
      replace(this.errorBody, rows.length ? rows : emptyRow(5, 'No errors.'));
    } catch (error) {
      setText(this.errorNote, `Could not load the errors: ${error.message}`);
    }
  }
}

/** One batch row, updated in place so a focused link keeps its focus. */
class BatchRow {
  constructor(id) {
    this.bar = progressBar(`Progress of batch ${shortId(id)}`);
    this.progressText = h('span', { class: 'progress-text' });
    this.subscription = h('td');
    this.status = h('span', { class: 'status' });
    this.reason = h('span', { class: 'reason' });
    this.counts = {};
    const countCells = OUTCOMES.map((outcome) => {
      const cell = h('td', { class: 'num', 'data-outcome': outcome });
      this.counts[outcome] = cell;
      return cell;
    });
    this.rateText = h('span');
    this.directions = h('span', { class: 'sub-line', 'data-field': 'directions' });
    this.rate = h('td', { class: 'num', 'data-field': 'calls-per-minute' }, this.rateText, h('br'), this.directions);
    this.etaText = h('span');
    this.limit = h('span', { class: 'sub-line', 'data-field': 'limit' });
    this.eta = h('td', { class: 'num', 'data-field': 'eta' }, this.etaText, h('br'), this.limit);
    this.element = h('tr', { 'data-batch-id': id },
      h('th', { scope: 'row' }, h('a', { href: `#/batches/${encodeURIComponent(id)}`, 'aria-label': `Batch ${id}`,
        class: 'batch-link mono' }, shortId(id))),
      this.subscription,
      h('td', {}, this.status, h('br'), this.reason),
      h('td', { class: 'progress-col' }, this.bar.element, this.progressText),
      countCells, this.rate, this.eta);
  }

  update(batch) {
    this.element.dataset.status = batch.status;
    setText(this.subscription, batch.subscriptionId || '…');
    this.status.className = `status status-${batch.status}`;
    setText(this.status, statusLabel(batch.status) + (batch.dryRun ? ' (dry run)' : ''));
    setText(this.reason, batch.reason || '');
    this.reason.title = batch.reason || '';
    this.bar.set(batch.done, batch.total, batch.status);
    setText(this.progressText, `${formatNumber(batch.done)} / ${formatNumber(batch.total)}`);
    for (const outcome of OUTCOMES) {
      setText(this.counts[outcome], formatNumber(batch.counts[outcome]));
    }
    setText(this.rateText, formatRate(batch.callsPerMinute));
    setText(this.directions, isFinal(batch.status) ? ''
      : formatDirections(batch.stampedCallsPerMinute, batch.ipaasCallsPerMinute));
    setText(this.etaText, isFinal(batch.status) || batch.status === 'paused' ? '–' : formatDuration(batch.etaSeconds));
    const limit = isFinal(batch.status) ? '' : limitLabel(batch.status === 'paused' ? 'paused' : batch.limit);
    setText(this.limit, !limit || batch.status === 'paused' ? limit : `bound by ${limit}`);
    this.element.dataset.limit = isFinal(batch.status) ? '' : (batch.limit || '');
  }
}

function panel(id, title, ...content) {
  return h('section', { class: `panel panel-${id}`, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), ...content);
}

function emptyRow(columns, text) {
  return h('tr', { class: 'empty' }, h('td', { colspan: columns }, text));
}

/** Puts rows in order, moving only those out of place (moving a node drops its focus). */
function reorder(body, rows, empty) {
  if (rows.length === 0) {
    if (!body.querySelector('tr.empty')) {
      replace(body, empty);
    }
    return;
  }
  body.querySelectorAll('tr.empty').forEach((row) => row.remove());
  rows.forEach((row, index) => {
    if (body.children[index] !== row) {
      body.insertBefore(row, body.children[index] || null);
    }
  });
}

function customer(entry) {
  const parts = [entry.ipaasCustomerId, entry.email].filter(Boolean);
  if (entry.recordIndex !== null && entry.recordIndex !== undefined) {
    parts.push(`record ${entry.recordIndex}`);
  }
  return parts.length ? parts.join(' · ') : (entry.direction ? `${entry.direction} call` : '–');
}

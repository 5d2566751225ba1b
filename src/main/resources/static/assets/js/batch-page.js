// One batch: progress, its event log as it arrives, its failed and rejected records, and
// (for writers) Retry failed and Cancel.

import { call, getJson, canWrite } from './api.js';
import { OUTCOMES, h, replace, setText, formatNumber, formatRate, formatDuration, formatTime, shortId,
  progressBar, percent, isFinal, statusLabel, limitLabel, formatDirections } from './dom.js';
import { LiveStream } from './live.js';
import { fromView, applyProgress, applyStatus, merge } from './batches.js';

const LOG_SHOWN = 500;
const RESULTS_SHOWN = 100;

/** Shows batch {@code id} in {@code main}; answers a function that tears it down. */
export function showBatch(main, id, options) {
  const page = new BatchPage(main, id, options);
  page.start();
  return () => page.stop();
}

class BatchPage {
  constructor(main, id, { session, onConnection, beforeReopen, flash }) {
    this.main = main;
    this.id = id;
    this.session = session;
    this.onConnection = onConnection;
    this.beforeReopen = beforeReopen;
    this.flash = flash;
    this.events = 0;
  }

  async start() {
    this.title = h('h2', { tabindex: -1, id: 'batch-title' }, 'Batch ', h('span', { class: 'mono' }, this.id));
    replace(this.main, h('p', {}, h('a', { href: '#/' }, '← Overview')), this.title, h('p', {}, 'Loading…'));
    let view;
    try {
      view = await getJson(`/api/v1/batches/${encodeURIComponent(this.id)}`);
    } catch (error) {
      replace(this.main, h('p', {}, h('a', { href: '#/' }, '← Overview')), this.title,
        h('p', { role: 'alert' }, `Could not load the batch: ${error.message}`));
      return;
    }
    if (this.stopped) {
      return;
    }
    if (!view) {
      replace(this.main, h('p', {}, h('a', { href: '#/' }, '← Overview')), this.title,
        h('p', { role: 'alert' }, 'There is no such batch.'));
      return;
    }
    this.batch = fromView(view);
    this.layout();
    this.render();
    this.loadResults();
    this.stream = new LiveStream(`/api/v1/batches/${encodeURIComponent(this.id)}/events`, {
      record: (event, seq) => this.onRecord(event, seq),
      progress: (event, seq) => this.onProgress(event, seq),
      status: (event, seq) => this.onStatus(event, seq),
    }, {
      onState: (state) => {
        this.onConnection(state);
        setText(this.logState, state === 'closed' && isFinal(this.batch.status) ? 'complete' : state);
      },
      beforeReopen: () => this.beforeStreamReopen(),
    }).open();
  }

  stop() {
    this.stopped = true;
    if (this.stream) {
      this.stream.close();
    }
    clearTimeout(this.resultsTimer);
  }

  layout() {
    this.status = h('span', { class: 'status', id: 'batch-status' });
    this.reason = h('span', { class: 'reason', id: 'batch-reason' });
    this.details = h('dl', { class: 'details' });
    this.bar = progressBar(`Progress of batch ${shortId(this.id)}`);
    this.progressText = h('span', { class: 'progress-text', id: 'batch-progress-text' });
    this.counts = {};
    const counts = h('dl', { class: 'counts', id: 'batch-counts' }, OUTCOMES.map((outcome) => {
      const value = h('dd', { 'data-outcome': outcome });
      this.counts[outcome] = value;
      return h('div', { class: `count count-${outcome}` }, h('dt', {}, outcome), value);
    }));
    this.rate = h('dd', { 'data-field': 'calls-per-minute' });
    this.eta = h('dd', { 'data-field': 'eta' });
    this.limit = h('dd', { 'data-field': 'limit' });
    this.actionMessage = h('p', { class: 'action-message', role: 'status', 'aria-live': 'polite' }, this.flash || '');
    this.actions = h('div', { class: 'actions' });
    if (canWrite(this.session)) {
      this.retryButton = h('button', { type: 'button', id: 'retry-button', onclick: () => this.retry() },
        'Retry failed');
      this.cancelButton = h('button', { type: 'button', id: 'cancel-button', class: 'danger',
        onclick: () => this.cancel() }, 'Cancel batch');
      this.actions.append(this.retryButton, this.cancelButton);
    } else {
      this.actions.append(h('p', { class: 'note' }, 'Your role can watch this batch but not change it.'));
    }
    this.log = h('ol', { class: 'event-log', id: 'event-log', reversed: true });
    this.logCount = h('span');
    this.logState = h('span', { class: 'log-state' });
    this.failedBody = h('tbody');
    this.rejectedBody = h('tbody');
    this.failedNote = h('p', { class: 'note' });
    this.rejectedNote = h('p', { class: 'note' });
    replace(this.main,
      h('p', {}, h('a', { href: '#/' }, '← Overview')),
      h('div', { class: 'grid even' },
        h('section', { class: 'panel panel-batch', 'aria-labelledby': 'batch-title' },
          this.title,
          h('p', { class: 'batch-status-line' }, this.status, ' ', this.reason),
          h('div', { class: 'big-progress' }, this.bar.element, this.progressText),
          counts,
          h('dl', { class: 'details rate' }, h('div', {}, h('dt', {}, 'Calls in the last minute'), this.rate),
            h('div', {}, h('dt', {}, 'ETA'), this.eta),
            h('div', {}, h('dt', {}, 'Bound by'), this.limit)),
          this.details, this.actions, this.actionMessage),
        h('section', { class: 'panel panel-log', 'aria-labelledby': 'log-title' },
          h('h2', { id: 'log-title' }, 'Event log'),
          h('p', { class: 'note' }, this.logCount, ' · stream ', this.logState),
          h('div', { class: 'log-box', tabindex: 0, role: 'region', 'aria-label': 'Event log, newest first' },
            this.log))),
      resultsPanel('failed', 'Failed records', this.failedNote, this.failedBody),
      resultsPanel('rejected', 'Rejected records', this.rejectedNote, this.rejectedBody));
    this.title.focus();
  }

  render() {
    const batch = this.batch;
    this.main.dataset.status = batch.status;
    this.status.className = `status status-${batch.status}`;
    setText(this.status, statusLabel(batch.status) + (batch.dryRun ? ' (dry run)' : ''));
    setText(this.reason, batch.reason || '');
    this.bar.set(batch.done, batch.total, batch.status);
    setText(this.progressText,
      `${formatNumber(batch.done)} of ${formatNumber(batch.total)} records (${percent(batch.done, batch.total)} %)`);
    for (const outcome of OUTCOMES) {
      setText(this.counts[outcome], formatNumber(batch.counts[outcome]));
    }
    const directions = formatDirections(batch.stampedCallsPerMinute, batch.ipaasCallsPerMinute);
    setText(this.rate, isFinal(batch.status) || !directions ? formatRate(batch.callsPerMinute)
      : `${formatRate(batch.callsPerMinute)} (${directions})`);
    setText(this.limit, isFinal(batch.status) ? '–'
      : limitLabel(batch.status === 'paused' ? 'paused' : batch.limit) || '–');
    setText(this.eta, isFinal(batch.status) || batch.status === 'paused' ? '–' : formatDuration(batch.etaSeconds));
    replace(this.details,
      detail('Subscription', batch.subscriptionId),
      detail('Source', batch.source),
      detail('Created', formatTime(batch.createdAt)),
      detail('Started', formatTime(batch.startedAt)),
      detail('Finished', formatTime(batch.finishedAt)),
      batch.retryOf ? detail('Retry of', h('a', { href: `#/batches/${encodeURIComponent(batch.retryOf)}` },
        shortId(batch.retryOf))) : null);
    if (this.retryButton) {
      this.retryButton.disabled = !(batch.counts.failed > 0);
      this.cancelButton.disabled = isFinal(batch.status);
    }
  }

  onRecord(event, seq) {
    const error = event.error ? ` — ${event.error.code}: ${event.error.message || ''}` : '';
    const who = [event.ipaasCustomerId, event.email].filter(Boolean).join(' · ');
    this.append(seq, 'record', `record ${event.index} · ${who} → ${event.outcome}${error}`);
    if (event.outcome === 'failed' || event.outcome === 'rejected') {
      this.loadResultsSoon();
    }
  }

  onProgress(event, seq) {
    applyProgress(this.batch, event);
    this.append(seq, 'progress', `${formatNumber(event.done)} / ${formatNumber(event.total)} done · `
      + OUTCOMES.filter((outcome) => event[outcome] > 0).map((outcome) => `${outcome} ${event[outcome]}`).join(', '));
    this.render();
  }

  onStatus(event, seq) {
    applyStatus(this.batch, event);
    this.append(seq, 'status', `${statusLabel(event.status)}${event.reason ? ` — ${event.reason}` : ''}`);
    this.render();
    if (isFinal(event.status)) {
      // The server ends the stream after the final status; reconnecting would only
      // replay nothing, over and over.
      this.stream.close();
      this.refresh();
      this.loadResults();
    }
  }

  append(seq, type, text) {
    this.events += 1;
    setText(this.logCount, `${formatNumber(this.events)} events`);
    this.log.prepend(h('li', { class: `log-${type}`, 'data-seq': seq, 'data-type': type },
      h('span', { class: 'log-seq mono' }, seq === null ? '' : `#${seq}`), ' ',
      h('span', { class: 'log-type' }, type), ' ', text));
    while (this.log.children.length > LOG_SHOWN) {
      this.log.lastElementChild.remove();
    }
  }

  async beforeStreamReopen() {
    if (!(await this.beforeReopen())) {
      return false;
    }
    await this.refresh();
    return !isFinal(this.batch.status);
  }

  async refresh() {
    const before = this.batch.statusEvents;
    const view = await getJson(`/api/v1/batches/${encodeURIComponent(this.id)}`).catch(() => null);
    if (view && !this.stopped) {
      merge(this.batch, view, before);
      this.render();
    }
  }

  loadResultsSoon() {
    clearTimeout(this.resultsTimer);
    this.resultsTimer = setTimeout(() => this.loadResults(), 1000);
  }

  async loadResults() {
    await Promise.all([
      this.loadOutcome('failed', this.failedBody, this.failedNote),
      this.loadOutcome('rejected', this.rejectedBody, this.rejectedNote),
    ]);
  }

  async loadOutcome(outcome, body, note) {
    try {
      const page = await getJson(`/api/v1/batches/${encodeURIComponent(this.id)}/results`
        + `?outcome=${outcome}&size=${RESULTS_SHOWN}`);
      const items = (page && page.items) || [];
      const total = this.batch.counts[outcome];
      setText(note, total > items.length ? `The first ${items.length} of ${formatNumber(total)}.`
        : `${formatNumber(items.length)} ${outcome}.`);
      replace(body, items.length ? items.map((item) => h('tr', { 'data-index': item.index },
        h('td', { class: 'num' }, item.index),
        h('td', {}, item.ipaasCustomerId || '–'),
        h('td', {}, item.email || '–'),
        h('td', {}, h('code', {}, item.error ? item.error.code : '–')),
        h('td', { class: 'message' }, item.error ? item.error.message || '' : ''),
        h('td', { class: 'num' }, item.error && item.error.httpStatus ? item.error.httpStatus : '–'),
        h('td', { class: 'num' }, item.attempts)))
        : h('tr', { class: 'empty' }, h('td', { colspan: 7 }, `No ${outcome} records.`)));
    } catch (error) {
      setText(note, `Could not load: ${error.message}`);
    }
  }

  async retry() {
    this.retryButton.disabled = true;
    setText(this.actionMessage, 'Starting a retry of the failed records…');
    const answer = await call('POST', `/api/v1/batches/${encodeURIComponent(this.id)}/retry`);
    if (answer.ok && answer.data && answer.data.id) {
      // The retry is a new batch: its page is where to watch it.
      document.dispatchEvent(new CustomEvent('stamped-sync:flash',
        { detail: `Retrying the ${answer.data.total} failed records of batch ${shortId(this.id)}.` }));
      window.location.hash = `#/batches/${encodeURIComponent(answer.data.id)}`;
      return;
    }
    setText(this.actionMessage, `Retry refused: ${problem(answer)}`);
    this.render();
  }

  async cancel() {
    if (!window.confirm(`Cancel batch ${shortId(this.id)}? Records not started yet end as cancelled.`)) {
      return;
    }
    this.cancelButton.disabled = true;
    setText(this.actionMessage, 'Cancelling…');
    const answer = await call('DELETE', `/api/v1/batches/${encodeURIComponent(this.id)}`);
    setText(this.actionMessage, answer.ok ? 'Cancel requested: calls in flight finish first.'
      : `Cancel refused: ${problem(answer)}`);
    this.refresh();
  }
}

function resultsPanel(id, title, note, body) {
  return h('section', { class: `panel panel-${id}`, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), note,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: `${id}-table` },
      h('caption', { class: 'visually-hidden' }, `${title} with the reason`),
      h('thead', {}, h('tr', {}, ...['Record', 'iPaaS.com id', 'Email', 'Code', 'Reason', 'HTTP', 'Attempts']
        .map((name) => h('th', { scope: 'col' }, name)))),
      body)));
}

function detail(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value ?? '–'));
}

function problem(answer) {
  if (answer.status === 403) {
    return 'your role does not allow this.';
  }
  return (answer.data && answer.data.detail) || `HTTP ${answer.status}`;
}

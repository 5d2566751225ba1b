// What the page knows about batches: the list from GET /api/v1/batches, kept current by
// the `progress` and `status` events of GET /api/v1/events.

import { OUTCOMES, isFinal } from './dom.js';

const ACTIVE_ORDER = { running: 0, paused: 1, queued: 2, receiving: 3 };

/** A batch as the page shows it, from a BatchView of the API. */
export function fromView(view) {
  const counts = {};
  for (const outcome of OUTCOMES) {
    counts[outcome] = (view.counts && view.counts[outcome]) || 0;
  }
  return {
    id: view.id,
    subscriptionId: view.subscriptionId,
    source: view.source,
    status: view.status,
    reason: view.reason || null,
    dryRun: !!view.dryRun,
    total: view.total || 0,
    done: view.done || 0,
    counts,
    callsPerMinute: view.callsPerMinute ?? null,
    etaSeconds: view.etaSeconds ?? null,
    stampedCallsPerMinute: view.stampedCallsPerMinute ?? null,
    ipaasCallsPerMinute: view.ipaasCallsPerMinute ?? null,
    limit: view.limit || null,
    retryOf: view.retryOf || null,
    createdAt: view.createdAt || null,
    startedAt: view.startedAt || null,
    finishedAt: view.finishedAt || null,
    // Counts the status events applied, so a view read meanwhile does not undo them.
    statusEvents: 0,
  };
}

/** Applies a `progress` event; answers the records newly done (0 for a stale event). */
export function applyProgress(batch, event) {
  if (event.done < batch.done) {
    return 0;
  }
  const added = event.done - batch.done;
  batch.done = event.done;
  batch.total = event.total ?? batch.total;
  for (const outcome of OUTCOMES) {
    if (typeof event[outcome] === 'number') {
      batch.counts[outcome] = event[outcome];
    }
  }
  batch.callsPerMinute = event.callsPerMinute ?? batch.callsPerMinute;
  batch.etaSeconds = isFinal(batch.status) ? null : event.etaSeconds ?? null;
  batch.stampedCallsPerMinute = event.stampedCallsPerMinute ?? batch.stampedCallsPerMinute;
  batch.ipaasCallsPerMinute = event.ipaasCallsPerMinute ?? batch.ipaasCallsPerMinute;
  batch.limit = isFinal(batch.status) ? null : event.limit || batch.limit;
  return added;
}

/** Applies a `status` event. A final status is never undone by a late event. */
export function applyStatus(batch, event) {
  if (isFinal(batch.status) && !isFinal(event.status)) {
    return;
  }
  batch.status = event.status;
  batch.reason = event.reason || null;
  batch.statusEvents += 1;
  if (isFinal(event.status)) {
    batch.etaSeconds = null;
    batch.limit = null;
  }
}

/**
 * Merges a freshly read view into what the events already told: the larger `done` wins,
 * a final status wins over an earlier one, and a status event applied while the view was
 * being read ({@code statusEventsBefore} differs) wins over the view. Answers the records
 * the view shows done beyond what the events told so far.
 */
export function merge(batch, view, statusEventsBefore = batch.statusEvents) {
  const fresh = fromView(view);
  fresh.statusEvents = batch.statusEvents;
  if (batch.statusEvents !== statusEventsBefore) {
    fresh.status = batch.status;
    fresh.reason = batch.reason;
  }
  const added = Math.max(0, fresh.done - batch.done);
  if (fresh.done < batch.done) {
    fresh.done = batch.done;
    fresh.counts = batch.counts;
    fresh.total = batch.total;
  }
  if (isFinal(batch.status) && !isFinal(fresh.status)) {
    fresh.status = batch.status;
    fresh.reason = batch.reason;
  }
  Object.assign(batch, fresh);
  return added;
}

/** Active batches first (running, paused, queued), then the newest finished ones. */
export function displayOrder(batches, finishedShown) {
  const active = batches
    .filter((batch) => !isFinal(batch.status))
    .sort((a, b) => (ACTIVE_ORDER[a.status] ?? 9) - (ACTIVE_ORDER[b.status] ?? 9) || byNewest(a, b));
  const finished = batches
    .filter((batch) => isFinal(batch.status))
    .sort(byNewest)
    .slice(0, finishedShown);
  return active.concat(finished);
}

function byNewest(a, b) {
  return String(b.createdAt || '').localeCompare(String(a.createdAt || ''));
}

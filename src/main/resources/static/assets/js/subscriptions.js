// Subscriptions with their health and call rate: from GET /api/v1/monitoring and its
// `subscription` events, or, on a gateway without monitoring, from the settings and the
// batches (a paused batch means rejected credentials; call counts are then unknown).

import { h, setText, formatDuration, formatNumber } from './dom.js';

const DIRECTIONS = [['stamped', 'Stamped.io'], ['ipaas', 'iPaaS.com']];

/** A subscription from a monitoring entry (tolerates both field spellings). */
export function fromHealth(entry) {
  const directions = {};
  for (const [key] of DIRECTIONS) {
    const load = entry.directions && entry.directions[key];
    if (load) {
      directions[key] = {
        calls: load.calls ?? load.callsInWindow ?? null,
        callsPerMinute: load.callsPerMinute ?? null,
        limit: load.limit ?? null,
        windowSeconds: load.windowSeconds ?? null,
        coolDownUntil: load.coolDownUntil || null,
        credentialsRejected: !!load.credentialsRejected,
      };
    }
  }
  return {
    id: entry.subscriptionId ?? entry.id,
    health: entry.health || 'healthy',
    until: entry.until || null,
    reason: entry.reason || null,
    detail: entry.detail || null,
    directions,
    queued: entry.queuedBatches ?? 0,
    running: entry.runningBatches ?? 0,
    paused: entry.pausedBatches ?? null,
    waiting: entry.recordsWaiting ?? null,
    lastError: entry.lastError || null,
  };
}

/** A subscription from its settings and its batches, when there is no monitoring. */
export function fromSettings(settings, batches) {
  const mine = batches.filter((batch) => batch.subscriptionId === settings.id);
  const paused = mine.find((batch) => batch.status === 'paused');
  const unfinished = mine.filter((batch) => ['queued', 'running', 'paused', 'receiving'].includes(batch.status));
  const directions = {
    stamped: { calls: null, limit: settings.apiThrottleLimit, windowSeconds: settings.apiThrottleSeconds },
  };
  if (settings.ipaasApiUrl) {
    directions.ipaas = { calls: null, limit: settings.ipaasThrottleLimit, windowSeconds: settings.ipaasThrottleSeconds };
  }
  return {
    id: settings.id,
    health: paused ? 'paused' : 'healthy',
    until: null,
    reason: paused ? paused.reason || 'paused' : null,
    detail: null,
    directions,
    queued: mine.filter((batch) => batch.status === 'queued').length,
    running: mine.filter((batch) => batch.status === 'running').length,
    paused: mine.filter((batch) => batch.status === 'paused').length,
    waiting: unfinished.reduce((sum, batch) => sum + Math.max(0, batch.total - batch.done), 0),
    lastError: null,
  };
}

/** One table row per subscription, updated in place. */
export class SubscriptionRow {
  constructor(id) {
    this.id = id;
    this.badge = h('span', { class: 'badge' });
    this.timeLeft = h('span', { class: 'time-left' });
    this.reason = h('span', { class: 'reason' });
    this.meters = {};
    const directionCells = DIRECTIONS.map(([key, name]) => {
      const meter = h('meter', { min: 0, max: 1, value: 0, 'aria-label': `${name} calls of ${id} against the limit` });
      const text = h('span', { class: 'meter-text' });
      this.meters[key] = { meter, text };
      return h('td', { 'data-direction': key }, meter, text);
    });
    this.batches = h('td', { class: 'nowrap' });
    this.waiting = h('td', { class: 'num' });
    this.lastErrorText = h('span');
    this.lastError = h('td', { class: 'last-error' }, this.lastErrorText);
    this.element = h('tr', { 'data-subscription-id': id },
      h('th', { scope: 'row' }, id),
      h('td', { class: 'health' }, this.badge, ' ', this.timeLeft, h('br'), this.reason),
      directionCells, this.batches, this.waiting, this.lastError);
  }

  update(subscription, clockOffsetMillis) {
    this.subscription = subscription;
    this.element.dataset.health = subscription.health;
    this.badge.className = `badge health-${subscription.health}`;
    setText(this.badge, healthLabel(subscription.health));
    let reason = subscription.reason || '';
    if (subscription.detail && subscription.detail !== reason) {
      reason = reason && !subscription.detail.startsWith(reason) ? `${reason}: ${subscription.detail}` : subscription.detail;
    }
    setText(this.reason, reason);
    for (const [key] of DIRECTIONS) {
      const { meter, text } = this.meters[key];
      const load = subscription.directions[key];
      if (!load) {
        meter.hidden = true;
        setText(text, 'not configured');
        continue;
      }
      meter.hidden = load.calls === null;
      meter.max = Math.max(1, load.limit || 1);
      meter.value = load.calls || 0;
      meter.high = meter.max * 0.9;
      const window = load.windowSeconds ? ` in ${formatDuration(load.windowSeconds)}` : '';
      const calls = load.calls === null ? 'limit' : `${formatNumber(load.calls)} /`;
      const rejected = load.credentialsRejected ? ' · credentials rejected' : '';
      // The last minute whatever W: what the batches' calls per minute add up to.
      const perMinute = load.callsPerMinute === null || load.callsPerMinute === undefined ? ''
        : ` · ${formatNumber(load.callsPerMinute)} in the last min`;
      setText(text, `${calls} ${formatNumber(load.limit)}${window}${perMinute}${rejected}`);
    }
    const paused = subscription.paused ? `, ${subscription.paused} paused` : '';
    setText(this.batches, `${subscription.running} running, ${subscription.queued} queued${paused}`);
    setText(this.waiting, formatNumber(subscription.waiting));
    const error = subscription.lastError;
    const errorText = error ? `${error.code}: ${error.message || ''}` : '–';
    setText(this.lastErrorText, errorText);
    this.lastError.title = error ? errorText : '';
    this.tick(clockOffsetMillis);
  }

  /** Refreshes the time left of a cool-down, once a second. */
  tick(clockOffsetMillis) {
    const subscription = this.subscription;
    if (!subscription || subscription.health !== 'cool-down' || !subscription.until) {
      setText(this.timeLeft, '');
      return;
    }
    const left = (Date.parse(subscription.until) - (Date.now() + clockOffsetMillis)) / 1000;
    setText(this.timeLeft, left > 0 ? `${formatDuration(Math.ceil(left))} left` : 'ending');
  }
}

function healthLabel(health) {
  switch (health) {
    case 'healthy':
      return 'Healthy';
    case 'cool-down':
      return 'Cool-down';
    case 'paused':
      return 'Paused';
    default:
      return health;
  }
}

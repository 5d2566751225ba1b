// Live updates over Server-Sent Events. EventSource reconnects by itself after a network
// blip and sends the last `id:` as Last-Event-ID, so the server resumes where it left
// off. When the browser gives up instead (an HTTP error closes the source for good), a
// new EventSource is opened: it cannot send Last-Event-ID, so the server replays from the
// start and every event already applied is dropped here by (batchId, seq).

const MAX_BACKOFF_MS = 30000;

/** One SSE subscription with its own reopening and de-duplication. */
export class LiveStream {
  /**
   * @param url the SSE endpoint
   * @param handlers event type → function(data, seq)
   * @param options onState(state): 'connecting' | 'live' | 'reconnecting' | 'closed';
   *   onResume(): called when the stream is back after a gap without replay (streams
   *   without ids), to reload what may have been missed; beforeReopen(): a promise that
   *   answers false to stay closed (e.g. the session is gone)
   */
  constructor(url, handlers, options = {}) {
    this.url = url;
    this.handlers = handlers;
    this.options = options;
    this.lastSeq = new Map();
    this.backoff = 1000;
    this.interrupted = false;
    this.stopped = false;
    this.source = null;
    this.timer = null;
  }

  open() {
    this.stopped = false;
    this.state('connecting');
    const source = new EventSource(this.url);
    this.source = source;
    for (const type of Object.keys(this.handlers)) {
      source.addEventListener(type, (event) => this.dispatch(type, event));
    }
    source.onopen = () => {
      this.backoff = 1000;
      this.state('live');
      if (this.interrupted && this.options.onResume) {
        this.options.onResume();
      }
      this.interrupted = false;
    };
    source.onerror = () => {
      if (this.stopped) {
        return;
      }
      this.interrupted = true;
      this.state('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        this.reopenLater();
      }
    };
    return this;
  }

  /** Stops for good (leaving the page, or the batch reached its final status). */
  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.source) {
      this.source.close();
    }
    this.state('closed');
  }

  reopenLater() {
    clearTimeout(this.timer);
    const delay = this.backoff;
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    this.timer = setTimeout(async () => {
      if (this.stopped) {
        return;
      }
      const reopen = this.options.beforeReopen ? await this.options.beforeReopen().catch(() => true) : true;
      if (reopen && !this.stopped) {
        this.open();
      } else if (!reopen) {
        this.close();
      }
    }, delay);
  }

  dispatch(type, event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    // Only streams that send `id:` lines (a batch's log) carry a sequence.
    const seq = event.lastEventId ? Number(event.lastEventId) : null;
    if (seq !== null && Number.isFinite(seq)) {
      const key = (data && data.batchId) || this.url;
      if (seq <= (this.lastSeq.get(key) || 0)) {
        return;
      }
      this.lastSeq.set(key, seq);
    }
    this.handlers[type](data, seq);
  }

  state(value) {
    if (this.options.onState) {
      this.options.onState(value);
    }
  }
}

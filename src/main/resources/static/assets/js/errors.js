// The latest errors: the gateway's error log (GET /api/v1/errors), or, on a gateway
// without one, the failed and rejected records of the latest batches that have some.

import { getJson } from './api.js';

const SHOWN = 20;
const BATCHES_SEARCHED = 5;

/** Answers { entries, source }: entries newest first, source says where they come from. */
export async function loadErrors(batches) {
  const log = await getJson(`/api/v1/errors?size=${SHOWN}`);
  if (log) {
    const items = Array.isArray(log) ? log : log.items || [];
    return { entries: items.slice(0, SHOWN), source: 'Failed and rejected transfers and failed calls, newest first.' };
  }
  const withErrors = batches
    .filter((batch) => batch.counts.failed > 0 || batch.counts.rejected > 0)
    .sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')))
    .slice(0, BATCHES_SEARCHED);
  const pages = await Promise.all(withErrors.flatMap((batch) => ['failed', 'rejected']
    .filter((outcome) => batch.counts[outcome] > 0)
    .map((outcome) => getJson(`/api/v1/batches/${encodeURIComponent(batch.id)}/results?outcome=${outcome}&size=${SHOWN}`)
      .then((page) => ((page && page.items) || []).map((item) => toEntry(batch, item)))
      .catch(() => []))));
  const entries = pages.flat()
    .sort((a, b) => String(b.occurredAt || '').localeCompare(String(a.occurredAt || '')))
    .slice(0, SHOWN);
  return { entries, source: 'Failed and rejected records of the latest batches (this gateway keeps no error log).' };
}

function toEntry(batch, item) {
  return {
    occurredAt: item.finishedAt,
    subscriptionId: batch.subscriptionId,
    batchId: batch.id,
    recordIndex: item.index,
    ipaasCustomerId: item.ipaasCustomerId,
    email: item.email,
    code: item.error ? item.error.code : item.outcome,
    message: item.error ? item.error.message : '',
  };
}

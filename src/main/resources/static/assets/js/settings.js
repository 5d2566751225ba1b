// The gateway's dashboard settings (GET /api/v1/dashboard/settings), read once per page.

import { getJson } from './api.js';

const DEFAULTS = { reloadSeconds: 30 };

let settings = null;

/** Answers { reloadSeconds }: how often the overview reads everything again, 0 = never. */
export function loadSettings() {
  if (!settings) {
    settings = getJson('/api/v1/dashboard/settings')
      .then((read) => ({ ...DEFAULTS, ...(read || {}) }))
      .catch(() => {
        settings = null;
        return DEFAULTS;
      });
  }
  return settings;
}

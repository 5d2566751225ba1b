// Small DOM and formatting helpers. Text always goes in through textContent, never
// innerHTML: error messages come from remote systems and must not become markup.

/** Creates an element: h('a', { href: '#/', class: 'x' }, 'text', child). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of an element. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Sets text only when it changed, so screen readers and selections are left alone. */
export function setText(element, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (element.textContent !== value) {
    element.textContent = value;
  }
}

const numbers = new Intl.NumberFormat();

export function formatNumber(value) {
  return value === null || value === undefined ? '–' : numbers.format(value);
}

/** 75 → "1 min 15 s". */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) {
    return `${hours} h ${minutes} min`;
  }
  if (minutes > 0) {
    return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  return `${rest} s`;
}

export function formatRate(perMinute) {
  if (perMinute === null || perMinute === undefined || !Number.isFinite(perMinute)) {
    return '–';
  }
  return `${perMinute >= 10 || perMinute === 0 ? Math.round(perMinute) : perMinute.toFixed(1)}/min`;
}

const LIMITS = {
  'stamped-quota': 'Stamped.io quota',
  'ipaas-quota': 'iPaaS.com quota',
  connections: 'connections',
  paused: 'paused',
};

/** What binds a batch's pace, in words ("Stamped.io quota"); '' when not known. */
export function limitLabel(limit) {
  return LIMITS[limit] || '';
}

/** A batch's own calls in the last minute per direction: "Stamped.io 120 · iPaaS.com 4". */
export function formatDirections(stamped, ipaas) {
  if (stamped === null || stamped === undefined) {
    return '';
  }
  return `Stamped.io ${Math.round(stamped)} · iPaaS.com ${Math.round(ipaas || 0)}`;
}

export function formatTime(iso) {
  if (!iso) {
    return '–';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '–';
  }
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString() : date.toLocaleString();
}

export function shortId(id) {
  return id && id.length > 8 ? id.slice(0, 8) : id;
}

/** Percentage of done over total, 0..100, whole numbers; an empty batch is done. */
export function percent(done, total) {
  if (!total) {
    return done > 0 ? 100 : 0;
  }
  return Math.min(100, Math.floor((done * 100) / total));
}

/** A progress bar with an accessible name and value. */
export function progressBar(label) {
  const fill = h('span', { class: 'bar-fill' });
  const bar = h('span', {
    class: 'bar', role: 'progressbar', 'aria-label': label,
    'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0,
  }, fill);
  return {
    element: bar,
    set(done, total, status) {
      const value = percent(done, total);
      bar.setAttribute('aria-valuenow', String(value));
      bar.setAttribute('aria-valuetext', `${value} % (${formatNumber(done)} of ${formatNumber(total)})`);
      bar.dataset.status = status || '';
      fill.style.width = `${value}%`;
    },
  };
}

export const OUTCOMES = ['created', 'updated', 'unchanged', 'rejected', 'failed', 'cancelled'];

export const FINAL_STATUSES = ['completed', 'completed_with_errors', 'cancelled'];

export function isFinal(status) {
  return FINAL_STATUSES.includes(status);
}

export function statusLabel(status) {
  return (status || 'unknown').replaceAll('_', ' ');
}

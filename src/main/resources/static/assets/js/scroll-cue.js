// Marks every wide table that scrolls sideways: `data-overflow` on its wrapper (for the
// fixed first column's shadow) and a line above it saying there is more to the right,
// shown only while the table is wider than its panel.

const watched = new WeakSet();

/** Watches the tables under {@code root}, now and as views replace them. */
export function watchWideTables(root) {
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
  const scan = () => root.querySelectorAll('.table-wrap').forEach((wrap) => {
    if (!watched.has(wrap)) {
      watched.add(wrap);
      observer.observe(wrap);
      const table = wrap.querySelector('table');
      if (table) {
        observer.observe(table);
      }
      wrap.addEventListener('scroll', () => update(wrap), { passive: true });
    }
  });
  new MutationObserver(scan).observe(root, { childList: true, subtree: true });
  scan();
}

function update(element) {
  const wrap = element.classList.contains('table-wrap') ? element : element.closest('.table-wrap');
  if (!wrap) {
    return;
  }
  const overflow = wrap.scrollWidth > wrap.clientWidth + 1;
  wrap.dataset.overflow = String(overflow);
  let cue = wrap.previousElementSibling;
  if (!cue || !cue.classList.contains('scroll-cue')) {
    if (!overflow) {
      return;
    }
    cue = document.createElement('p');
    cue.className = 'scroll-cue';
    cue.setAttribute('aria-hidden', 'true');
    cue.textContent = 'More columns to the right: scroll the table sideways →';
    wrap.before(cue);
  }
  const atEnd = wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1;
  cue.dataset.shown = String(overflow && !atEnd);
}

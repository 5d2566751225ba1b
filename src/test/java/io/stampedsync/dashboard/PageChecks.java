package io.stampedsync.dashboard;

import java.util.List;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the browser tests measure inside the page: layout overflow, reachability of every
 * table column, and when the page showed each new count.
 */
final class PageChecks {

	private PageChecks() {
	}

	/** Shows the page as a phone or a desktop of {@code width} CSS pixels would. */
	static void viewport(ChromeDriver driver, int width, int height) {
		driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
	}

	static void resetViewport(ChromeDriver driver) {
		driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
	}

	/**
	 * Elements that stick out of the viewport without a scrolling box around them to
	 * bring them back, described; empty when the layout fits.
	 */
	@SuppressWarnings("unchecked")
	static List<String> overflowing(ChromeDriver driver) {
		return (List<String>) driver.executeScript("""
				const width = document.documentElement.clientWidth;
				const found = [];
				if (document.documentElement.scrollWidth > width + 1) {
				  found.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
				}
				const scrolls = (element) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(element).overflowX);
				for (const element of document.body.querySelectorAll('*')) {
				  if (element.closest('.visually-hidden, .skip-link, script, noscript')) continue;
				  const box = element.getBoundingClientRect();
				  if (box.width === 0 || box.height === 0) continue;
				  if (box.right <= width + 1 && box.left >= -1) continue;
				  let parent = element.parentElement;
				  let clipped = false;
				  // Inside a box that clips or scrolls and itself fits (possibly through
				  // further boxes, e.g. a progress bar inside a scrolling table): reachable.
				  while (parent && parent !== document.body && !clipped) {
				    if (scrolls(parent)) {
				      const outer = parent.getBoundingClientRect();
				      clipped = outer.right <= width + 1 && outer.left >= -1;
				    }
				    parent = parent.parentElement;
				  }
				  if (!clipped) {
				    found.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
				      + '.' + element.className + ' [' + Math.round(box.left) + ', ' + Math.round(box.right) + ']');
				  }
				}
				return found.slice(0, 20);
				""");
	}

	/**
	 * Cells of every table (the header and the first rows) that cannot be brought fully
	 * into view by scrolling their table, described; empty when every column can be read.
	 */
	@SuppressWarnings("unchecked")
	static List<String> unreachableCells(ChromeDriver driver) {
		return (List<String>) driver.executeScript(
				"""
						const width = document.documentElement.clientWidth;
						const found = [];
						for (const table of document.querySelectorAll('table.data')) {
						  const wrap = table.closest('.table-wrap');
						  const rows = [...table.querySelectorAll('tr')].filter((row) => !row.classList.contains('empty')).slice(0, 4);
						  for (const row of rows) {
						    const cells = [...row.children];
						    const fixed = cells[0].getBoundingClientRect();
						    cells.forEach((cell, index) => {
						      if (wrap) {
						        wrap.scrollLeft = 0;
						        const box = cell.getBoundingClientRect();
						        const outer = wrap.getBoundingClientRect();
						        // Scroll just enough for the cell's right edge, as a user would.
						        wrap.scrollLeft = Math.max(0, box.right - outer.right);
						      }
						      const box = cell.getBoundingClientRect();
						      const outer = wrap ? wrap.getBoundingClientRect() : { left: 0, right: width };
						      const first = cells[0].getBoundingClientRect();
						      const left = index === 0 ? outer.left : first.right;
						      if (box.left < left - 1 || box.right > Math.min(width, outer.right) + 1) {
						        found.push(table.id + ' column ' + (index + 1) + ' "' + cell.textContent.trim().slice(0, 30)
						          + '" [' + Math.round(box.left) + ', ' + Math.round(box.right) + '] visible ['
						          + Math.round(left) + ', ' + Math.round(Math.min(width, outer.right)) + ']');
						      }
						    });
						  }
						  if (wrap) wrap.scrollLeft = 0;
						}
						return found.slice(0, 20);
						""");
	}

	/**
	 * Starts noting, in page time ({@code Date.now()}), each new value of the done count
	 * shown in the elements {@code selector} finds (keyed by their {@code data-batch-id},
	 * or the page's batch).
	 */
	static void watchDoneCounts(ChromeDriver driver, String selector) {
		driver.executeScript("""
				const selector = arguments[0];
				const log = window.__doneLog = [];
				const read = () => {
				  for (const element of document.querySelectorAll(selector)) {
				    const row = element.closest('[data-batch-id]');
				    const id = row ? row.dataset.batchId : 'page';
				    const match = element.textContent.trim().match(/^([\\d,.\\s]+)/);
				    if (!match) continue;
				    const done = Number(match[1].replace(/\\D/g, ''));
				    const last = log.filter((entry) => entry.id === id).pop();
				    if (!last || last.done < done) log.push({ id, done, at: Date.now() });
				  }
				};
				new MutationObserver(read).observe(document.getElementById('main'),
				  { subtree: true, childList: true, characterData: true });
				read();
				""", selector);
	}

	/** What {@link #watchDoneCounts} noted: id, done and at (epoch milliseconds). */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> doneLog(ChromeDriver driver) {
		return (List<Map<String, Object>>) driver.executeScript("return window.__doneLog || []");
	}

}

package io.stampedsync.journal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the customer links that became visible in the journal (committed), and
 * remembers, per link, the count at its latest one: what a read-ahead page needs to prove
 * that the link it read is still the latest.
 * <p>
 * The rule. A page takes {@link #count()} before its statement goes out. Later, a link
 * read with it is trusted only when the link is not held unsaved (a held save is newer
 * than anything in the journal and answers first) and its last change is counted at or
 * below the page's count. Why that holds: a save is held from the moment it is made until
 * its commit has been counted here (counted first, released after, so at every moment a
 * saved link is either held or counted). A change counted at or below the page's count
 * was therefore committed before the page's statement went out, and the statement saw it
 * (read committed); any save the statement could have missed is either still held, or
 * counted above the page's count, and the page's link is then passed over for a look-up.
 * A change counted late (its commit came before the page's count was taken) only makes
 * the rule err on the side of a look-up.
 * <p>
 * Bounded: the oldest entries go beyond {@link #REMEMBERED}, and the highest count
 * forgotten stands for every link no longer remembered, so a page older than it looks its
 * links up rather than trust them.
 */
final class LinkChanges {

	/**
	 * Links whose last change is remembered one by one (a few MB): many seconds of
	 * commits at full speed, longer than a page waits for its records to go out.
	 */
	static final int REMEMBERED = 1 << 15;

	private final int remembered;

	// Insertion order is count order: an entry is removed and put again on each change.
	private final Map<LinkKey, Long> lastChange = new LinkedHashMap<>();

	private long count;

	/**
	 * The highest count forgotten: what every link not remembered may have changed at.
	 */
	private long forgotten;

	LinkChanges() {
		this(REMEMBERED);
	}

	LinkChanges(int remembered) {
		this.remembered = remembered;
	}

	/**
	 * The count of changes so far: taken by a page just before its statement goes out.
	 */
	synchronized long count() {
		return this.count;
	}

	/** The link is committed: counted before it stops being held. */
	synchronized void changed(LinkKey key) {
		long at = ++this.count;
		this.lastChange.remove(key);
		this.lastChange.put(key, at);
		if (this.lastChange.size() > this.remembered) {
			Map.Entry<LinkKey, Long> oldest = this.lastChange.entrySet().iterator().next();
			this.forgotten = oldest.getValue();
			this.lastChange.remove(oldest.getKey());
		}
	}

	/**
	 * Whether no change of the link was counted after {@code readAt}: a page that took
	 * {@code readAt} saw the link's latest committed state.
	 */
	synchronized boolean unchangedSince(LinkKey key, long readAt) {
		Long at = this.lastChange.get(key);
		return ((at != null) ? at : this.forgotten) <= readAt;
	}

}

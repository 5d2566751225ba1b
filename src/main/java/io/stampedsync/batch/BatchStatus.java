package io.stampedsync.batch;

import java.util.Locale;

/**
 * Where a batch is (DESIGN.md §4): {@code receiving} while its body streams in (never
 * shown, dropped if the body turns out malformed or the process stops), then queued →
 * running ⇄ paused → one of the final states.
 */
public enum BatchStatus {

	RECEIVING, QUEUED, RUNNING, PAUSED, COMPLETED, COMPLETED_WITH_ERRORS, CANCELLED;

	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static BatchStatus fromTag(String tag) {
		return valueOf(tag.toUpperCase(Locale.ROOT));
	}

	public boolean isFinal() {
		return this == COMPLETED || this == COMPLETED_WITH_ERRORS || this == CANCELLED;
	}

}

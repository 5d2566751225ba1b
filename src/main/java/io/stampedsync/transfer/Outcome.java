package io.stampedsync.transfer;

import java.util.Locale;

/** How one transfer ended (DESIGN.md §5); every record ends in exactly one. */
public enum Outcome {

	CREATED, UPDATED, UNCHANGED, REJECTED, FAILED, CANCELLED;

	/** The lower-case name used in JSON, SSE and the journal. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The outcome with that lower-case name. */
	public static Outcome fromTag(String tag) {
		return valueOf(tag.toUpperCase(Locale.ROOT));
	}

	/** Whether the batch counts this record as an error (completed_with_errors). */
	public boolean isError() {
		return this == REJECTED || this == FAILED;
	}

}

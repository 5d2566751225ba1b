package io.stampedsync.batch;

import java.util.Locale;

/** How a batch came in. */
public enum BatchSource {

	/** A bulk POST of customers. */
	BULK,

	/** An iPaaS.com outbound-trigger delivery. */
	HOOK,

	/** A Manual Sync of iPaaS.com customer ids. */
	MANUAL,

	/** The failed records of an earlier batch, sent again. */
	RETRY;

	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static BatchSource fromTag(String tag) {
		return valueOf(tag.toUpperCase(Locale.ROOT));
	}

}

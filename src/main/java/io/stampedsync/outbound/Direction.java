package io.stampedsync.outbound;

/** Where an outbound call goes; each direction has its own rate limit (DESIGN.md §1). */
public enum Direction {

	/** Calls to Stamped.io. */
	STAMPED("stamped"),

	/** Calls to iPaaS.com. */
	IPAAS("ipaas");

	private final String tag;

	Direction(String tag) {
		this.tag = tag;
	}

	/** The lower-case name used in metrics, JSON and logs. */
	public String tag() {
		return this.tag;
	}

}

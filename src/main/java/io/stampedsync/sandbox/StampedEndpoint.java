package io.stampedsync.sandbox;

/**
 * The Stamped.io endpoints the simulator serves (domain doc §2.3), for counters and fault
 * filters.
 */
public enum StampedEndpoint {

	/** {@code POST dashboard/customers/add}. */
	CREATE,

	/** {@code POST dashboard/customers/{id}}. */
	UPDATE,

	/** {@code GET dashboard/customers/{id}}. */
	GET,

	/** {@code GET dashboard/customers?page=&take=}. */
	LIST,

	/** {@code POST survey/subscribe}. */
	SUBSCRIBE,

	/** {@code POST survey/unsubscribe}. */
	UNSUBSCRIBE,

	/** Anything else: answered 404. */
	OTHER

}

package io.stampedsync.sandbox;

/**
 * The iPaaS.com endpoints the simulator serves (domain doc §3.6), for counters and fault
 * filters.
 */
public enum IpaasEndpoint {

	/** {@code GET /customers/v2/Customer/{id}}. */
	GET_CUSTOMER,

	/** {@code POST /customers/v2/External/UpdateExternalId}. */
	UPDATE_EXTERNAL_ID,

	/** Anything else: answered 404. */
	OTHER

}

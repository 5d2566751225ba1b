package io.stampedsync.transfer;

import io.stampedsync.stamped.StampedCustomer;

/**
 * What {@link CustomerMapper} made of one iPaaS.com customer: rejected before any call,
 * or mapped to a Stamped.io payload.
 */
public sealed interface MappingResult permits MappingResult.Rejected, MappingResult.Mapped {

	/**
	 * The customer cannot be sent (outcome {@code rejected}, {@code INVALID_CUSTOMER}).
	 *
	 * @param field the iPaaS.com JSON field at fault, e.g. {@code email_address}
	 * @param reason why, e.g. {@code required}
	 */
	record Rejected(String field, String reason) implements MappingResult {

		/** {@code field: reason}, the message users see. */
		public String message() {
			return this.field + ": " + this.reason;
		}

	}

	/**
	 * The customer maps to a Stamped.io payload.
	 *
	 * @param payload the create or update body
	 * @param desiredSubscribed desired survey subscription state, {@code null}: do not
	 * reconcile
	 * @param linkedStampedId the Stamped.io id iPaaS.com knows for this customer, or
	 * {@code null}
	 * @param fingerprint {@link Fingerprint} of the payload and the desired state
	 */
	record Mapped(StampedCustomer payload, Boolean desiredSubscribed, String linkedStampedId,
			String fingerprint) implements MappingResult {

	}

}

package io.stampedsync.transfer;

import java.util.Locale;

import io.stampedsync.stamped.StampedCustomer;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.IpaasCustomer.CustomField;
import io.stampedsync.transfer.IpaasCustomer.ExternalId;
import io.stampedsync.transfer.MappingResult.Mapped;
import io.stampedsync.transfer.MappingResult.Rejected;

import org.springframework.stereotype.Component;

/**
 * The one place that decides how an iPaaS.com customer becomes a Stamped.io payload
 * (DESIGN.md §5 steps 1 to 3, domain doc §4.2): what is rejected without a call, which
 * fields are sent, the desired subscription state, the known link and the fingerprint.
 * Stateless and cheap: intake checks only what rejects a record ({@link #rejection}); the
 * payload and its fingerprint are built once, before the transfer.
 */
@Component
public class CustomerMapper {

	/** Longest iPaaS.com or Stamped.io id the journal stores. */
	static final int MAX_ID_LENGTH = 64;

	static final String REQUIRED = "required";

	// iPaaS.com marks a removed link by prefixing its external id (domain doc §3.5).
	private static final String DELETED_LINK_PREFIX = "deleted:";

	/** Rejects {@code customer} or maps it for the subscription {@code settings}. */
	public MappingResult map(IpaasCustomer customer, SubscriptionSettings settings) {
		Rejected rejected = rejection(customer);
		if (rejected != null) {
			return rejected;
		}
		String email = trimToNull(customer.emailAddress());
		// Phone and tags are not mapped: no source says they are (domain doc §4.2).
		StampedCustomer payload = new StampedCustomer(email, trimToNull(customer.firstName()),
				trimToNull(customer.lastName()), trimToNull(customer.customerNumber()), null, null);
		Boolean desiredSubscribed = desiredSubscribed(customer, settings.subscriptionStateField());
		return new Mapped(payload, desiredSubscribed, linkedStampedId(customer, settings.ipaasSystemId()),
				Fingerprint.of(payload, desiredSubscribed));
	}

	/**
	 * Why {@code customer} would be rejected, or {@code null}: what intake checks,
	 * without building the payload and its fingerprint (the transfer does that once).
	 */
	public Rejected rejection(IpaasCustomer customer) {
		if (isBlank(customer.id())) {
			return new Rejected("id", REQUIRED);
		}
		if (customer.id().length() > MAX_ID_LENGTH) {
			return new Rejected("id", "longer than " + MAX_ID_LENGTH + " characters");
		}
		String email = trimToNull(customer.emailAddress());
		if (email == null) {
			return new Rejected("email_address", REQUIRED);
		}
		if (!EmailAddress.isValid(email)) {
			return new Rejected("email_address", "not a valid email address");
		}
		return null;
	}

	/**
	 * The state held by the custom field named {@code fieldName} (case-insensitive), or
	 * {@code null} when no field is configured, the customer lacks it, or its value is
	 * not one of the known spellings: unknown means "do not reconcile", never a
	 * rejection.
	 */
	static Boolean desiredSubscribed(IpaasCustomer customer, String fieldName) {
		if (isBlank(fieldName)) {
			return null;
		}
		String wanted = fieldName.trim();
		for (CustomField field : customer.customFields()) {
			if (field.name() != null && field.name().trim().equalsIgnoreCase(wanted)) {
				return SubscriptionFlag.parse(field.value());
			}
		}
		return null;
	}

	/**
	 * The first usable Stamped.io id among the customer's external ids for
	 * {@code systemId}: non-blank, not marked deleted, short enough to store.
	 */
	static String linkedStampedId(IpaasCustomer customer, Long systemId) {
		if (systemId == null) {
			return null;
		}
		for (ExternalId link : customer.externalIds()) {
			String id = trimToNull(link.externalId());
			if (systemId.equals(link.systemId()) && id != null && id.length() <= MAX_ID_LENGTH
					&& !id.toLowerCase(Locale.ROOT).startsWith(DELETED_LINK_PREFIX)) {
				return id;
			}
		}
		return null;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	private static String trimToNull(String value) {
		if (value == null) {
			return null;
		}
		String trimmed = value.trim();
		return trimmed.isEmpty() ? null : trimmed;
	}

}

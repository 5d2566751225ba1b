package io.stampedsync.subscription;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a subscription comes from: configuration (read-only) or the API. */
public enum SubscriptionSource {

	/** {@code stamped-sync.subscriptions.<id>.*}: read-only through the API. */
	CONFIG,

	/** Created with {@code PUT /api/v1/subscriptions/{id}}, stored in the journal. */
	API;

	@JsonValue
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}

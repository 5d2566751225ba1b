package io.stampedsync.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of {@code POST /api/v1/subscriptions/{id}/verify}.
 *
 * @param ok whether Stamped.io accepted the settings
 * @param code the error code when not ok, e.g. {@code STAMPED_AUTH}
 * @param setting the setting to check when it is known: {@code apiPublicKey},
 * {@code apiStoreHash} or {@code apiUrl}
 * @param message what went wrong, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyResult(boolean ok, String code, String setting, String message) {

	/** The settings were accepted. */
	public static VerifyResult passed() {
		return new VerifyResult(true, null, null, null);
	}

}

package io.stampedsync.ipaas;

import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.web.ApiProblemException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The check of a hook delivery's {@code Authorization: Bearer <webhookApiKey>}. */
final class WebhookKey {

	private static final String BEARER = "Bearer ";

	private WebhookKey() {
	}

	/**
	 * Whether {@code authorization} carries the subscription's webhook key (compared in
	 * constant time); false when the subscription has no key.
	 */
	static boolean matches(SubscriptionSettings settings, String authorization) {
		Secret key = settings.webhookApiKey();
		if (key == null || authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return false;
		}
		return key.matches(authorization.substring(BEARER.length()).trim());
	}

	/** The 401 of a missing or wrong key. */
	static ApiProblemException unauthorized() {
		ApiProblemException problem = ApiProblemException.of(HttpStatus.UNAUTHORIZED,
				"Missing or wrong webhook key: send Authorization: Bearer <webhookApiKey of the subscription>");
		problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		return problem;
	}

}

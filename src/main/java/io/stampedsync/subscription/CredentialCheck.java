package io.stampedsync.subscription;

import reactor.core.publisher.Mono;

/**
 * Checks a subscription's credentials against its store and says which setting is wrong.
 * The store's client package implements it, so that settings depend on no client.
 */
public interface CredentialCheck {

	/**
	 * Checks the credentials of these settings.
	 * @param settings the subscription's current settings
	 * @return the verdict; a failed check is a verdict, not an error
	 */
	Mono<VerifyResult> verify(SubscriptionSettings settings);

}

package io.stampedsync.stamped;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.CredentialCheck;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.subscription.VerifyResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Checks a subscription's credentials with one cheap Stamped.io call and says which
 * setting is wrong.
 */
@Component
class StampedCredentialCheck implements CredentialCheck {

	// The client has its own response timeout; this only bounds a stuck verify request.
	static final Duration LIMIT = Duration.ofSeconds(60);

	private static final Log log = LogFactory.getLog(StampedCredentialCheck.class);

	private final StampedClients clients;

	StampedCredentialCheck(StampedClients clients) {
		this.clients = clients;
	}

	@Override
	public Mono<VerifyResult> verify(SubscriptionSettings settings) {
		return Mono.defer(() -> this.clients.forSubscription(settings).verify())
			.timeout(LIMIT)
			.thenReturn(VerifyResult.passed())
			.onErrorResume((ex) -> Mono.just(explain(settings, ex)));
	}

	static VerifyResult explain(SubscriptionSettings settings, Throwable ex) {
		if (ex instanceof TimeoutException) {
			return unreachable(ErrorCode.STAMPED_TIMEOUT, settings);
		}
		if (!(ex instanceof OutboundCallException call)) {
			// Not a classified error: its message was not written for users and may say
			// too much.
			log.warn("Verify of subscription " + settings.id() + " failed unexpectedly: " + ex.getClass().getName());
			return new VerifyResult(false, "UNEXPECTED", null, "Verification failed unexpectedly; see the gateway log");
		}
		return switch (call.code()) {
			case STAMPED_AUTH -> (call.httpStatus() == 404)
					? new VerifyResult(false, call.code().name(), "apiStoreHash",
							"Stamped.io does not know this store: check API Store Hash (and API Public Key, "
									+ "API Private Key)")
					: new VerifyResult(false, call.code().name(), "apiPublicKey",
							"Stamped.io rejected the credentials: check API Public Key, API Private Key and "
									+ "API Store Hash");
			case NETWORK, STAMPED_TIMEOUT -> unreachable(call.code(), settings);
			default -> new VerifyResult(false, call.code().name(), null, call.getMessage());
		};
	}

	private static VerifyResult unreachable(ErrorCode code, SubscriptionSettings settings) {
		return new VerifyResult(false, code.name(), "apiUrl",
				"Stamped.io could not be reached at " + settings.apiUrl() + ": check API Url");
	}

}

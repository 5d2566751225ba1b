package io.stampedsync.batch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.OutboundCall;
import reactor.util.context.ContextView;

import org.springframework.stereotype.Component;

/**
 * When each subscription last made an outbound call (any attempt, any direction): a store
 * whose calls go on is not stalled, even while no record ends.
 */
@Component
class CallActivity implements CallObserver {

	private final Map<String, Long> lastCall = new ConcurrentHashMap<>();

	@Override
	public void onCall(OutboundCall call, ContextView context) {
		this.lastCall.put(call.subscriptionId(), System.nanoTime());
	}

	/** Nano time of the latest call, {@code Long.MIN_VALUE} when none was made. */
	long lastCall(String subscriptionId) {
		return this.lastCall.getOrDefault(subscriptionId, Long.MIN_VALUE);
	}

	void forget(String subscriptionId) {
		this.lastCall.remove(subscriptionId);
	}

}

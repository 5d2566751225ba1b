package io.stampedsync.throttle;

import java.time.Duration;
import java.util.List;

import io.stampedsync.outbound.Direction;

/**
 * Told how long each call waited for its permit, cool-down included (metrics). Runs on
 * the thread that hands out the permit: it must be quick and must not block.
 */
@FunctionalInterface
public interface PermitObserver {

	/** An observer that does nothing. */
	PermitObserver NONE = (subscriptionId, direction, wait) -> {
	};

	/** A call of this subscription and direction got its permit after {@code wait}. */
	void waited(String subscriptionId, Direction direction, Duration wait);

	/** One observer that tells each of {@code observers}; failures are ignored. */
	static PermitObserver all(List<PermitObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		List<PermitObserver> copy = List.copyOf(observers);
		return (subscriptionId, direction, wait) -> {
			for (PermitObserver observer : copy) {
				try {
					observer.waited(subscriptionId, direction, wait);
				}
				catch (RuntimeException ex) {
					// A by-stander must never fail the call it watches.
				}
			}
		};
	}

}

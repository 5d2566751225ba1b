package io.stampedsync.outbound;

import java.util.List;

import reactor.util.context.ContextView;

/**
 * Told of every attempt of every outbound call (tracing for debug Manual Syncs, metrics).
 * Runs on the I/O thread: it must be quick and must not block.
 */
@FunctionalInterface
public interface CallObserver {

	/** An observer that does nothing. */
	CallObserver NONE = (call, context) -> {
	};

	/**
	 * One attempt ended.
	 * @param call what was called and how it went
	 * @param context the Reactor context of the caller, so a tracer can tell which record
	 * or batch the call belongs to
	 */
	void onCall(OutboundCall call, ContextView context);

	/**
	 * One observer that tells each of {@code observers} in turn; failures are ignored.
	 */
	static CallObserver all(List<CallObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		List<CallObserver> copy = List.copyOf(observers);
		return (call, context) -> {
			for (CallObserver observer : copy) {
				try {
					observer.onCall(call, context);
				}
				catch (RuntimeException ex) {
					// An observer is a by-stander: it must never fail the call it
					// watches.
				}
			}
		};
	}

}

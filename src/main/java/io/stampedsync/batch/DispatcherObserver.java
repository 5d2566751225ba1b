package io.stampedsync.batch;

/**
 * Told when a dispatcher's pipeline failed and was restarted, or the watchdog found it
 * stalled (metrics).
 */
public interface DispatcherObserver {

	/** The pipeline of {@code subscriptionId} failed and is subscribed again. */
	void restarted(String subscriptionId);

	/** The watchdog found {@code subscriptionId} stalled and restarts its pipeline. */
	void stalled(String subscriptionId);

}

package io.stampedsync.batch;

import java.time.Duration;

import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Mono;

/**
 * Which subscriptions' dispatchers this process runs. Embedded mode owns them all
 * ({@link #always()}); distributed mode holds one lease per subscription in PostgreSQL
 * (package {@code cluster}).
 */
public interface Ownership {

	/** Whether this process runs the subscription's dispatcher now. */
	boolean owns(String subscriptionId);

	/**
	 * Starts telling {@code holder} about subscriptions gained, lost or with new work.
	 */
	void start(Holder holder);

	/**
	 * Gives up everything this process holds; called once its dispatchers have stopped
	 * and their outcomes are stored.
	 */
	Mono<Void> stop();

	/**
	 * A batch of {@code subscriptionId} was queued in the journal by this process, which
	 * does not own the subscription: tell its owner.
	 */
	Mono<Void> queued(String subscriptionId);

	/**
	 * The lease under which a dispatcher of the subscription, started now, writes its
	 * outcomes; unchecked when there is no lease to lose.
	 */
	default Fence fence(String subscriptionId) {
		return Fence.unchecked(subscriptionId);
	}

	/**
	 * A write under {@code fence} was refused: the lease passed to another process, so
	 * this one no longer owns the subscription, whatever its own clock says.
	 */
	default void fenced(Fence fence) {
	}

	/**
	 * Asks the process that runs the subscription, when it is another, to cancel the
	 * batch; answers false when no other process runs it.
	 */
	default Mono<Boolean> cancelElsewhere(String subscriptionId, String batchId) {
		return Mono.just(false);
	}

	/**
	 * How old a batch still {@code receiving} must be before a starting process drops it:
	 * zero when no other process can be receiving it.
	 */
	default Duration receivingGrace() {
		return Duration.ZERO;
	}

	/** The embedded mode: this process is the only one and owns every subscription. */
	static Ownership always() {
		return new Ownership() {

			@Override
			public boolean owns(String subscriptionId) {
				return true;
			}

			@Override
			public void start(Holder holder) {
			}

			@Override
			public Mono<Void> stop() {
				return Mono.empty();
			}

			@Override
			public Mono<Void> queued(String subscriptionId) {
				return Mono.empty();
			}

		};
	}

	/** What an {@link Ownership} tells the dispatchers. */
	interface Holder {

		/**
		 * The subscription is ours (newly, or again at a poll) or has new work: run its
		 * unfinished batches.
		 */
		Mono<Void> gained(String subscriptionId);

		/**
		 * The subscription is no longer ours: stop calling its store; completes once
		 * calls in flight ended and their outcomes are stored.
		 */
		Mono<Void> lost(String subscriptionId);

		/** Another process was asked to cancel a batch of a subscription we run. */
		default Mono<Void> cancel(String batchId) {
			return Mono.empty();
		}

		/**
		 * The subscription's settings as they are now, perhaps saved by another process:
		 * a dispatcher running older ones takes them (as after a PUT here).
		 */
		default void settings(SubscriptionSettings latest) {
		}

		/**
		 * Another process verified the subscription's credentials of this settings
		 * version: if they are the current ones, calls paused for them go on.
		 */
		default void verified(String subscriptionId, long settingsVersion) {
		}

	}

}

package io.stampedsync.batch;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The lease a dispatcher runs under: writes it makes to the journal land only while the
 * subscription's lease still carries {@code token}. Token 0 means unchecked (the embedded
 * mode, where one process owns everything).
 *
 * <p>
 * Why fence writes at all when a replica stops calling before its lease can expire: a
 * replica paused (a long GC, a frozen VM) past its lease does not run its watchdog, and
 * on waking its calls in flight would store outcomes and links for a subscription another
 * replica already runs. The token check in the same transaction as the write makes that
 * impossible, whatever the clocks did.
 *
 * @param subscriptionId the subscription the lease is for
 * @param token the fencing token of the lease, 0 for unchecked
 */
public record Fence(String subscriptionId, long token) {

	/** No lease to check: every write lands. */
	public static Fence unchecked(String subscriptionId) {
		return new Fence(subscriptionId, 0);
	}

	/** Whether writes must check the lease's token. */
	public boolean isChecked() {
		return this.token != 0;
	}

	/**
	 * Carries this fence to the writes made deeper in a transfer (the link store), which
	 * know nothing of dispatchers.
	 */
	public Context into(Context context) {
		return isChecked() ? context.put(Fence.class, this) : context;
	}

	/** The fence of the pipeline, unchecked when none was set. */
	public static Fence from(ContextView context, String subscriptionId) {
		Fence fence = context.getOrDefault(Fence.class, null);
		return (fence != null && fence.subscriptionId().equals(subscriptionId)) ? fence : unchecked(subscriptionId);
	}

}

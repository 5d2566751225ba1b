package io.stampedsync.batch;

import io.stampedsync.transfer.LinkStore;

/**
 * A write was refused because the subscription's lease passed to another fencing token:
 * this process no longer owns the subscription and must stop its dispatcher.
 */
public class FencedException extends RuntimeException implements LinkStore.LeaseLost {

	private final transient Fence fence;

	public FencedException(Fence fence) {
		super("Lease of subscription " + fence.subscriptionId() + " moved past fencing token " + fence.token());
		this.fence = fence;
	}

	public Fence fence() {
		return this.fence;
	}

}

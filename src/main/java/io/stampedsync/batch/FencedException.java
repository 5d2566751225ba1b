package io.stampedsync.batch;

/**
 * A write was refused because the subscription's lease passed to another fencing token:
 * this process no longer owns the subscription and must stop its dispatcher.
 */
public class FencedException extends RuntimeException {

	private final transient Fence fence;

	public FencedException(Fence fence) {
		super("Lease of subscription " + fence.subscriptionId() + " moved past fencing token " + fence.token());
		this.fence = fence;
	}

	public Fence fence() {
		return this.fence;
	}

}

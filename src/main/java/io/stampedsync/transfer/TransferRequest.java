package io.stampedsync.transfer;

/**
 * One customer to transfer, with its place in time and the batch's options.
 *
 * @param payload the iPaaS customer JSON, or {@code null} when it must be fetched from
 * iPaaS.com by {@code ipaasCustomerId} (hooks, Manual Sync)
 * @param batchSeq accept sequence of the batch, with {@code index} the record's place in
 * time
 * @param force send even when the customer is unchanged since the last success
 * @param dryRun decide only: no outbound call, no link written
 * @param debug trace every call in the result
 * @param prefetched the customer's link as the record's read-ahead page found it, or
 * {@code null} (dry runs, tests): a hint the link store checks before it trusts it
 */
public record TransferRequest(String ipaasCustomerId, String payload, long batchSeq, int index, boolean force,
		boolean dryRun, boolean debug, PrefetchedLink prefetched) {

	/** A request whose link is looked up in the link store. */
	public TransferRequest(String ipaasCustomerId, String payload, long batchSeq, int index, boolean force,
			boolean dryRun, boolean debug) {
		this(ipaasCustomerId, payload, batchSeq, index, force, dryRun, debug, null);
	}

}

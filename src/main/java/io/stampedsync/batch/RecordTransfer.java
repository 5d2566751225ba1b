package io.stampedsync.batch;

import io.stampedsync.batch.WorkPlan.Work;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * One record's transfer as the dispatcher's pipeline runs it: every fault of the record
 * becomes its outcome ({@code failed} / {@link ErrorCode#INTERNAL} for an unexpected one,
 * the stack trace logged once), so the pipeline never sees an error. The one exception is
 * a journal write refused because the lease moved: the record gets no outcome (an empty
 * answer) and stays pending for the new owner.
 */
final class RecordTransfer {

	private static final Log logger = LogFactory.getLog(RecordTransfer.class);

	private final String subscriptionId;

	private final Fence fence;

	private final Transfer transfers;

	RecordTransfer(String subscriptionId, Fence fence, Transfer transfers) {
		this.subscriptionId = subscriptionId;
		this.fence = fence;
		this.transfers = transfers;
	}

	/**
	 * The record's result with {@code settings}; a {@link FencedException} when the lease
	 * moved.
	 */
	Mono<TransferResult> run(SubscriptionSettings settings, Work work) {
		Batch batch = work.batch().batch;
		BatchRecord record = work.record();
		TransferRequest request = new TransferRequest(record.ipaasCustomerId(), record.payload(), batch.acceptSeq(),
				record.index(), batch.force(), false, batch.debug(), work.link());
		return Mono.defer(() -> this.transfers.transfer(settings, request))
			// A lost lease is no fault of the record: the dispatcher leaves it pending.
			.onErrorResume((ex) -> !(ex instanceof FencedException),
					(ex) -> Mono.just(internal("running the transfer", ex)))
			// The clients count this batch's calls (CallRate) through the context.
			.contextWrite(work.batch().calls::into)
			.contextWrite(this.fence::into);
	}

	/** The outcome of an unexpected fault at {@code stage}; logs its stack trace. */
	TransferResult internal(String stage, Throwable ex) {
		logger.error("A record of subscription " + this.subscriptionId + " failed " + stage, ex);
		String message = ErrorCode.INTERNAL.prefix() + " " + stage + ": " + ex.getClass().getSimpleName();
		return TransferResult.ended(Outcome.FAILED, ErrorCode.INTERNAL, message);
	}

}

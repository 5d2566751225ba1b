package io.stampedsync.batch;

import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferResult;
import reactor.core.publisher.Mono;

/**
 * One record's transfer, as the dispatcher sees it ({@code TransferService::transfer} in
 * the application, a stand-in in tests).
 */
@FunctionalInterface
interface Transfer {

	Mono<TransferResult> transfer(SubscriptionSettings settings, TransferRequest request);

}

package io.stampedsync.transfer;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.stampedsync.outbound.CallLog;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.stamped.CustomerNotFoundException;
import io.stampedsync.stamped.StampedClient;
import io.stampedsync.stamped.StampedClients;
import io.stampedsync.subscription.SubscriptionSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * One transfer (DESIGN.md §5): map, fingerprint, decide, create or update, reconcile the
 * survey subscription, record the link. Ends in exactly one {@link TransferResult}; it
 * never fails.
 */
@Service
public class TransferService {

	private static final Log logger = LogFactory.getLog(TransferService.class);

	/**
	 * A journal that fails (a lost connection, a full disk, a database restarting) is
	 * waited out, as the journal writer does: the Stamped.io call may already be made,
	 * and giving up would lose the link that keeps the next sync of this customer from
	 * creating it twice. Only data-access failures: a fenced write (the subscription
	 * moved to another replica) must stop the transfer at once.
	 */
	private static final Retry JOURNAL_RETRY = Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
		.maxBackoff(Duration.ofSeconds(5))
		.filter(DataAccessException.class::isInstance)
		.doBeforeRetry((signal) -> logger.warn("Journal unavailable, retrying: " + signal.failure()));

	/** How many times one transfer follows settings saved while it ran. */
	private static final int MAX_SETTINGS_CHANGES = 3;

	private final CustomerSource customers;

	private final CustomerMapper mapper;

	private final LinkStore links;

	private final StampedClients stamped;

	private final LinkWriteBack writeBack;

	private final Clock clock;

	private final LongSupplier nanoTime;

	TransferService(CustomerSource customers, CustomerMapper mapper, LinkStore links, StampedClients stamped,
			LinkWriteBack writeBack, Clock clock) {
		this.customers = customers;
		this.mapper = mapper;
		this.links = links;
		this.stamped = stamped;
		this.writeBack = writeBack;
		this.clock = clock;
		this.nanoTime = System::nanoTime;
	}

	/**
	 * Runs the transfer; the result carries the calls made and, for debug, their trace.
	 */
	public Mono<TransferResult> transfer(SubscriptionSettings settings, TransferRequest request) {
		CallLog log = new CallLog(request.debug());
		long started = this.nanoTime.getAsLong();
		return run(settings, request, MAX_SETTINGS_CHANGES)
			.map((result) -> result.measured(log.calls(), (this.nanoTime.getAsLong() - started) / 1_000_000,
					log.traces()))
			.contextWrite(log::into);
	}

	/**
	 * One run with these settings. Credentials refused while newer settings were saved
	 * (the call used superseded keys) are not this record's fault nor a reason to pause:
	 * the record runs again with the newest settings, a bounded number of times.
	 */
	private Mono<TransferResult> run(SubscriptionSettings settings, TransferRequest request, int settingsChanges) {
		return this.customers.customer(settings, request)
			.flatMap((customer) -> decide(settings, request, customer))
			.onErrorResume(OutboundCallException.class, (ex) -> Mono.just(failed(null, ex)))
			.map((result) -> result.usingSettings(settings.version()))
			.flatMap((result) -> {
				if (!result.credentialsRefused() || settingsChanges == 0) {
					return Mono.just(result);
				}
				SubscriptionSettings latest = this.stamped.latest(settings);
				return (latest.version() > settings.version()) ? run(latest, request, settingsChanges - 1)
						: Mono.just(result);
			});
	}

	private Mono<TransferResult> decide(SubscriptionSettings settings, TransferRequest request,
			IpaasCustomer customer) {
		MappingResult mapping = this.mapper.map(customer, settings);
		if (mapping instanceof MappingResult.Rejected rejected) {
			return Mono.just(TransferResult.error(Outcome.REJECTED, customer.emailAddress(), ErrorCode.INVALID_CUSTOMER,
					rejected.field() + ": " + rejected.reason(), null));
		}
		MappingResult.Mapped mapped = (MappingResult.Mapped) mapping;
		return this.links.find(settings.id(), customer.id())
			.retryWhen(JOURNAL_RETRY)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((link) -> apply(settings, request, customer, mapped, link.orElse(null)));
	}

	private Mono<TransferResult> apply(SubscriptionSettings settings, TransferRequest request, IpaasCustomer customer,
			MappingResult.Mapped mapped, CustomerLink link) {
		String email = mapped.payload().email();
		if (link != null && link.isNewerThan(request.batchSeq(), request.index())) {
			// A newer record of this customer already landed: sending this one would undo
			// it.
			return Mono.just(TransferResult.of(Outcome.UNCHANGED, link.stampedCustomerId(), email));
		}
		String stampedId = (link != null) ? link.stampedCustomerId() : mapped.linkedStampedId();
		boolean subscriptionDue = mapped.desiredSubscribed() != null
				&& !mapped.desiredSubscribed().equals((link != null) ? link.subscribed() : null);
		boolean unchanged = link != null && mapped.fingerprint().equals(link.fingerprint()) && !subscriptionDue;
		if (unchanged && !request.force()) {
			return Mono.just(TransferResult.of(Outcome.UNCHANGED, stampedId, email));
		}
		if (request.dryRun()) {
			return Mono
				.just(TransferResult.of((stampedId != null) ? Outcome.UPDATED : Outcome.CREATED, stampedId, email));
		}
		StampedClient client = this.stamped.forSubscription(settings);
		return upsert(client, stampedId, mapped).flatMap((upserted) -> reconcile(client, mapped, link, subscriptionDue)
			.then(save(settings, request, customer, upserted, mapped.fingerprint(), mapped.desiredSubscribed()))
			.then(this.writeBack.write(settings, customer, upserted.stampedId()))
			.thenReturn(TransferResult.of(upserted.outcome(), upserted.stampedId(), email))
			.onErrorResume(OutboundCallException.class,
					(ex) -> save(settings, request, customer, upserted, null, (link != null) ? link.subscribed() : null)
						.thenReturn(failed(email, ex))));
	}

	private Mono<Upserted> upsert(StampedClient client, String stampedId, MappingResult.Mapped mapped) {
		if (stampedId == null) {
			return client.create(mapped.payload()).map((id) -> new Upserted(id, Outcome.CREATED));
		}
		return client.update(stampedId, mapped.payload())
			.map((id) -> new Upserted(id, Outcome.UPDATED))
			// The linked customer is gone from Stamped.io: create it again and relink.
			.onErrorResume(CustomerNotFoundException.class,
					(ex) -> client.create(mapped.payload()).map((id) -> new Upserted(id, Outcome.CREATED)));
	}

	private Mono<Void> reconcile(StampedClient client, MappingResult.Mapped mapped, CustomerLink link,
			boolean subscriptionDue) {
		if (!subscriptionDue) {
			return Mono.empty();
		}
		String email = mapped.payload().email();
		return mapped.desiredSubscribed() ? client.subscribe(email) : client.unsubscribe(email);
	}

	private Mono<Void> save(SubscriptionSettings settings, TransferRequest request, IpaasCustomer customer,
			Upserted upserted, String fingerprint, Boolean subscribed) {
		return this.links
			.save(new CustomerLink(settings.id(), customer.id(), upserted.stampedId(), fingerprint, subscribed,
					request.batchSeq(), request.index(), this.clock.instant()))
			.retryWhen(JOURNAL_RETRY);
	}

	private static TransferResult failed(String email, OutboundCallException ex) {
		return TransferResult.error(Outcome.FAILED, email, ex.code(), ex.getMessage(),
				(ex.httpStatus() != 0) ? ex.httpStatus() : null);
	}

	private record Upserted(String stampedId, Outcome outcome) {
	}

}

package io.stampedsync.transfer;

import java.time.Clock;
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
	 * A failing journal is waited out (JournalRetry): the Stamped.io call may already be
	 * made, and giving up would lose the link that keeps the next sync of this customer
	 * from creating it twice. A fenced write fails at once.
	 */
	private static final Retry JOURNAL_RETRY = JournalRetry.forever(logger, "Customer link look-up or save");

	/** Longest error message stored with a record (the journal's column is wider). */
	static final int MAX_MESSAGE = 500;

	/** How many times one transfer follows settings saved while it ran. */
	private static final int MAX_SETTINGS_CHANGES = 3;

	private final CustomerSource customers;

	private final CustomerMapper mapper;

	private final LinkStore links;

	private final StampedClients stamped;

	private final LinkWriteBack writeBack;

	private final Clock clock;

	private final LongSupplier nanoTime;

	public TransferService(CustomerSource customers, CustomerMapper mapper, LinkStore links, StampedClients stamped,
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
	 * Every fault of the record ends in its result: a classified call failure as its
	 * code, anything unexpected as {@code INTERNAL} with a short message naming what
	 * failed (the stack trace is logged once). Only a lost lease
	 * ({@link LinkStore.LeaseLost}) fails the Mono: the record then has no outcome and
	 * stays pending for the new owner.
	 */
	public Mono<TransferResult> transfer(SubscriptionSettings settings, TransferRequest request) {
		CallLog log = new CallLog(request.ipaasCustomerId(), request.debug());
		long started = this.nanoTime.getAsLong();
		return run(settings, request, MAX_SETTINGS_CHANGES)
			.onErrorResume((ex) -> !(ex instanceof LinkStore.LeaseLost),
					(ex) -> Mono.just(internal(settings, request, ex)))
			.map((result) -> result.measured(log.calls(), log.ipaasCalls(),
					(this.nanoTime.getAsLong() - started) / 1_000_000, log.traces()))
			.contextWrite(log::into);
	}

	/**
	 * One run with these settings. Credentials refused while newer settings were saved
	 * (the call used superseded keys) are not this record's fault nor a reason to pause:
	 * the record runs again with the newest settings, a bounded number of times.
	 */
	private Mono<TransferResult> run(SubscriptionSettings settings, TransferRequest request, int settingsChanges) {
		return Mono.defer(() -> this.customers.customer(settings, request))
			.onErrorMap(TransferService::unexpected, (ex) -> new Stage("reading the customer", ex))
			.flatMap((customer) -> decide(settings, request, customer))
			.onErrorResume(OutboundCallException.class, (ex) -> Mono.just(failed(null, ex)))
			.onErrorResume((ex) -> !(ex instanceof LinkStore.LeaseLost),
					(ex) -> Mono.just(internal(settings, request, ex)))
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
		MappingResult mapping;
		try {
			mapping = this.mapper.map(customer, settings);
		}
		catch (RuntimeException ex) {
			return Mono.error(new Stage("mapping the customer", ex));
		}
		if (mapping instanceof MappingResult.Rejected rejected) {
			return Mono.just(TransferResult.error(Outcome.REJECTED, customer.emailAddress(), ErrorCode.INVALID_CUSTOMER,
					rejected.field() + ": " + rejected.reason(), null));
		}
		MappingResult.Mapped mapped = (MappingResult.Mapped) mapping;
		return JournalRetry
			.retried(Mono.defer(() -> this.links.find(settings.id(), customer.id(), request.prefetched())),
					JOURNAL_RETRY)
			.onErrorMap(TransferService::unexpected, (ex) -> new Stage("reading the customer link", ex))
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
		return upsert(client, stampedId, mapped)
			.onErrorMap(TransferService::unexpected, (ex) -> new Stage("calling Stamped.io", ex))
			.flatMap((upserted) -> reconcile(client, mapped, link, subscriptionDue)
				.onErrorMap(TransferService::unexpected, (ex) -> new Stage("reconciling the survey subscription", ex))
				.then(save(settings, request, customer, upserted, mapped.fingerprint(), mapped.desiredSubscribed()))
				.then(Mono.defer(() -> this.writeBack.write(settings, customer, upserted.stampedId()))
					.onErrorMap(TransferService::unexpected,
							(ex) -> new Stage("writing the link back to iPaaS.com", ex)))
				.thenReturn(TransferResult.of(upserted.outcome(), upserted.stampedId(), email))
				.onErrorResume(OutboundCallException.class, (ex) -> save(settings, request, customer, upserted, null,
						(link != null) ? link.subscribed() : null)
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
		return JournalRetry.retried(
				Mono.defer(() -> this.links.save(new CustomerLink(settings.id(), customer.id(), upserted.stampedId(),
						fingerprint, subscribed, request.batchSeq(), request.index(), this.clock.instant()))),
				JOURNAL_RETRY)
			.onErrorMap(TransferService::unexpected, (ex) -> new Stage("saving the customer link", ex));
	}

	/** Neither a classified call failure, nor a lost lease, nor already staged. */
	private static boolean unexpected(Throwable ex) {
		return !(ex instanceof OutboundCallException) && !(ex instanceof LinkStore.LeaseLost) && !(ex instanceof Stage);
	}

	private static TransferResult internal(SubscriptionSettings settings, TransferRequest request, Throwable ex) {
		String stage = (ex instanceof Stage staged) ? staged.stage : "transferring the customer";
		Throwable cause = (ex instanceof Stage) ? ex.getCause() : ex;
		// The stack trace once, here; the record's message stays short and without it.
		logger.error("Record " + request.index() + " (customer " + request.ipaasCustomerId() + ") of subscription "
				+ settings.id() + " failed " + stage, cause);
		String message = ErrorCode.INTERNAL.prefix() + " " + stage + ": " + cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? " " + cause.getMessage() : "");
		return TransferResult.error(Outcome.FAILED, null, ErrorCode.INTERNAL, cut(message), null);
	}

	private static String cut(String message) {
		String oneLine = message.replaceAll("[\\r\\n\\t]+", " ");
		return (oneLine.length() <= MAX_MESSAGE) ? oneLine : oneLine.substring(0, MAX_MESSAGE - 1) + "…";
	}

	private static TransferResult failed(String email, OutboundCallException ex) {
		return TransferResult.error(Outcome.FAILED, email, ex.code(), ex.getMessage(),
				(ex.httpStatus() != 0) ? ex.httpStatus() : null);
	}

	private record Upserted(String stampedId, Outcome outcome) {
	}

	/** An unexpected fault, with what the transfer was doing when it happened. */
	private static final class Stage extends RuntimeException {

		private final String stage;

		Stage(String stage, Throwable cause) {
			super(stage, cause, false, false);
			this.stage = stage;
		}

	}

}

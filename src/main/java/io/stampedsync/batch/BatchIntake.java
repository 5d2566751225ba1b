package io.stampedsync.batch;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.CustomerMapper;
import io.stampedsync.transfer.IpaasCustomer;
import io.stampedsync.transfer.MappingResult;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Takes a batch body as it streams in (DESIGN.md §2 "Intake"): parses, validates, writes
 * every record to the journal in chunks, and acknowledges only once the whole body is
 * stored. A malformed body leaves nothing behind.
 */
@Service
public class BatchIntake {

	private final SubscriptionRegistry subscriptions;

	private final BatchJournal journal;

	private final CustomerStreamParser parser;

	private final CustomerMapper mapper;

	private final EventJson events;

	private final BatchProperties properties;

	private final BatchLauncher launcher;

	private final Clock clock;

	private final BatchEventBus bus;

	BatchIntake(SubscriptionRegistry subscriptions, BatchJournal journal, JsonMapper json, CustomerMapper mapper,
			EventJson events, BatchProperties properties, BatchLauncher launcher, Clock clock, BatchEventBus bus) {
		this.subscriptions = subscriptions;
		this.journal = journal;
		this.parser = new CustomerStreamParser(json, properties.maxRecordBytes());
		this.mapper = mapper;
		this.events = events;
		this.properties = properties;
		this.launcher = launcher;
		this.clock = clock;
		this.bus = bus;
	}

	/**
	 * A new batch id, known before the body is read (the SSE response announces it). A
	 * random version-4 UUID from a non-blocking source: {@code UUID.randomUUID()} may
	 * read {@code /dev/urandom} on the event loop, and batch ids need no cryptographic
	 * strength (reading a batch takes a token).
	 */
	public static String newBatchId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
		return new UUID(most, least).toString();
	}

	/**
	 * Reads the body into a new batch and starts it. An {@code Idempotency-Key} already
	 * used with the same body gives the batch it made; with another body, a 422.
	 */
	public Mono<AcceptedBatch> accept(String batchId, String subscriptionId, Flux<DataBuffer> body,
			CustomerStreamParser.Format format, IntakeOptions options) {
		return this.subscriptions.find(subscriptionId)
			.switchIfEmpty(Mono.error(() -> ApiProblemException.notFound("No subscription '" + subscriptionId + "'")))
			.flatMap(
					(settings) -> (options.idempotencyKey() == null) ? receive(batchId, settings, body, format, options)
							: this.journal.findByIdempotencyKey(subscriptionId, options.idempotencyKey())
								.flatMap((existing) -> sameBody(existing, body))
								.map((existing) -> new AcceptedBatch(existing, null))
								.switchIfEmpty(Mono.defer(() -> receive(batchId, settings, body, format, options))));
	}

	private Mono<Batch> sameBody(Batch existing, Flux<DataBuffer> body) {
		BodyHash hash = new BodyHash();
		return body.doOnNext(hash::update)
			.doOnNext(org.springframework.core.io.buffer.DataBufferUtils::release)
			.then(Mono.fromCallable(hash::hex))
			.flatMap((hex) -> hex.equals(existing.bodyHash()) ? Mono.just(existing)
					: Mono.error(ApiProblemException.unprocessable(
							"Idempotency-Key was already used with a different body (batch " + existing.id() + ")",
							List.of())));
	}

	private Mono<AcceptedBatch> receive(String batchId, SubscriptionSettings settings, Flux<DataBuffer> body,
			CustomerStreamParser.Format format, IntakeOptions options) {
		Batch receiving = new Batch(batchId, 0, settings.id(), BatchSource.BULK, BatchStatus.RECEIVING, null, 0,
				options.dryRun(), options.force(), false, 0, options.idempotencyKey(), null, null, this.clock.instant(),
				null, null);
		// The hash is compared only with a later request of the same Idempotency-Key:
		// without a key, the body is not hashed (SHA-256 of every byte).
		BodyHash hash = (options.idempotencyKey() != null) ? new BodyHash() : null;
		Flux<DataBuffer> hashed = (hash != null) ? body.doOnNext(hash::update) : body;
		AtomicInteger total = new AtomicInteger();
		AtomicLong seq = new AtomicLong();
		AtomicLong rejected = new AtomicLong();
		return this.journal.create(receiving)
			.onErrorMap(org.springframework.dao.DataIntegrityViolationException.class,
					(ex) -> ApiProblemException.conflict("Another request with this Idempotency-Key is in progress"))
			.flatMap((batch) -> IntakeChunks.of(this.parser.parse(hashed, format)
				.map((parsed) -> new Received(toRecord(batch, parsed), parsed.rawBytes()))
				.doOnNext((received) -> {
					if (total.incrementAndGet() > this.properties.maxRecords()) {
						throw ApiProblemException.of(HttpStatus.CONTENT_TOO_LARGE,
								"A batch holds at most " + this.properties.maxRecords() + " records");
					}
				}), this.properties.intakeChunk(), this.properties.intakeChunkBytes(), Received::bytes)
				// One chunk waits while one is written: the body is parsed while the
				// journal writes, and few chunks are held (concatMap's default prefetch
				// would queue 32).
				.concatMap((chunk) -> store(batch, Received.records(chunk), seq, rejected), 1)
				.then(Mono.defer(() -> finish(batch, total.get(), (hash != null) ? hash.hex() : null, seq, rejected)))
				// Counted as written: the answer needs no count of the journal (a read of
				// every record of the batch).
				.map((queued) -> new AcceptedBatch(queued,
						new RecordCounts(total.get() - rejected.get(),
								(rejected.get() > 0) ? Map.of(Outcome.REJECTED, rejected.get()) : Map.of())))
				.onErrorResume((ex) -> this.journal.discard(batch.id()).then(Mono.error(ex))));
	}

	/**
	 * A batch of customers named by their iPaaS.com ids (Manual Sync, hooks). A debug
	 * batch goes to the front of its subscription's queue and traces every call.
	 */
	public Mono<Batch> acceptReferences(String subscriptionId, BatchSource source, List<CustomerReference> customers,
			boolean debug) {
		Batch receiving = new Batch(newBatchId(), 0, subscriptionId, source, BatchStatus.RECEIVING, null, debug ? 1 : 0,
				false, false, debug, 0, null, null, null, this.clock.instant(), null, null);
		AtomicLong seq = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		return this.subscriptions.find(subscriptionId)
			.switchIfEmpty(Mono.error(() -> ApiProblemException.notFound("No subscription '" + subscriptionId + "'")))
			.then(this.journal.create(receiving))
			.flatMap((batch) -> Flux.range(0, customers.size())
				.map((index) -> toRecord(batch, index, customers.get(index)))
				.buffer(this.properties.intakeChunk())
				.concatMap((chunk) -> store(batch, chunk, seq, refused))
				.then(Mono.defer(() -> finish(batch, customers.size(), null, seq, refused)))
				.onErrorResume((ex) -> this.journal.discard(batch.id()).then(Mono.error(ex))));
	}

	/** The rejection of a field longer than its column, or {@code null}. */
	private static String overlong(IpaasCustomer customer) {
		if (customer.id() != null && customer.id().length() > ColumnLimits.CUSTOMER_ID) {
			return "id: " + ColumnLimits.tooLong(customer.id(), ColumnLimits.CUSTOMER_ID);
		}
		String email = customer.emailAddress();
		if (email != null && email.length() > ColumnLimits.EMAIL) {
			return "email_address: " + ColumnLimits.tooLong(email, ColumnLimits.EMAIL);
		}
		return null;
	}

	private BatchRecord toRecord(Batch batch, int index, CustomerReference customer) {
		if (customer.refusal() != null) {
			return BatchRecord.refused(batch.id(), index, customer.ipaasCustomerId(), null, null, customer.refusal(),
					customer.message(), this.clock.instant());
		}
		return BatchRecord.pending(batch.id(), index, customer.ipaasCustomerId(), null, null);
	}

	private BatchRecord toRecord(Batch batch, ParsedRecord parsed) {
		String payload = (parsed.rawJson() != null) ? parsed.rawJson() : "";
		IpaasCustomer customer = parsed.customer();
		if (customer == null) {
			return BatchRecord.rejected(batch.id(), parsed.index(), null, null, payload,
					parsed.rejectionField() + ": " + parsed.rejectionReason(), this.clock.instant());
		}
		String overlong = overlong(customer);
		if (overlong != null) {
			return BatchRecord.rejected(batch.id(), parsed.index(), customer.id(), customer.emailAddress(), payload,
					overlong, this.clock.instant());
		}
		MappingResult.Rejected rejected = this.mapper.rejection(customer);
		if (rejected != null) {
			return BatchRecord.rejected(batch.id(), parsed.index(), customer.id(), customer.emailAddress(), payload,
					rejected.field() + ": " + rejected.reason(), this.clock.instant());
		}
		return BatchRecord.pending(batch.id(), parsed.index(), customer.id(), customer.emailAddress(), payload);
	}

	// Rejected records get their record event now, numbered from 1, before the batch
	// runs; {@code ended} counts them.
	private Mono<Void> store(Batch batch, List<BatchRecord> chunk, AtomicLong seq, AtomicLong ended) {
		List<BatchEvent> rejections = new ArrayList<>();
		for (BatchRecord record : chunk) {
			if (record.outcome() != null) {
				rejections.add(this.events.record(batch, seq.incrementAndGet(), record));
			}
		}
		ended.addAndGet(rejections.size());
		return this.journal.insertRecords(chunk).then(this.journal.appendEvents(rejections));
	}

	private Mono<Batch> finish(Batch batch, int total, String bodyHash, AtomicLong seq, AtomicLong rejected) {
		if (total == 0) {
			return Mono.error(ApiProblemException.unprocessable("The batch holds no customer", List.of()));
		}
		Batch queued = new Batch(batch.id(), batch.acceptSeq(), batch.subscriptionId(), batch.source(),
				BatchStatus.QUEUED, null, batch.priority(), batch.dryRun(), batch.force(), batch.debug(), total,
				batch.idempotencyKey(), bodyHash, batch.retryOf(), batch.createdAt(), null, null);
		BatchEvent accepted = this.events.status(queued, seq.incrementAndGet(), BatchStatus.QUEUED, null);
		// Published once stored, like every bus event: dashboards see the new batch, and
		// the monitoring reads the records rejected at intake (they have no live event).
		return this.journal.markReceived(batch.id(), total, bodyHash, rejected.get())
			.then(this.journal.appendEvents(List.of(accepted)))
			.doOnSuccess((stored) -> this.bus.publish(accepted))
			.then(Mono.defer(() -> this.launcher.launch(queued)))
			.thenReturn(queued);
	}

	/** A record of the body and its size as received, in UTF-8 bytes. */
	private record Received(BatchRecord record, int bytes) {

		static List<BatchRecord> records(List<Received> chunk) {
			List<BatchRecord> records = new ArrayList<>(chunk.size());
			for (Received received : chunk) {
				records.add(received.record());
			}
			return records;
		}

	}

	/** SHA-256 of the body as received, for Idempotency-Key comparisons. */
	private static final class BodyHash {

		private final MessageDigest digest;

		BodyHash() {
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void update(DataBuffer buffer) {
			try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
				while (buffers.hasNext()) {
					ByteBuffer bytes = buffers.next();
					this.digest.update(bytes);
				}
			}
		}

		String hex() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

	}

}

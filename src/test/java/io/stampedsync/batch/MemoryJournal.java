package io.stampedsync.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.stampedsync.transfer.Outcome;
import io.stampedsync.testing.Customers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * A journal in memory, for the dispatcher's tests: what the R2DBC journal does, without a
 * database, and with faults on demand ({@link #failWhen}) on its reads and writes.
 */
class MemoryJournal implements BatchJournal {

	private final Map<String, Batch> batches = new LinkedHashMap<>();

	private final Map<String, TreeMap<Integer, BatchRecord>> records = new LinkedHashMap<>();

	private final Map<String, TreeMap<Long, BatchEvent>> events = new LinkedHashMap<>();

	private final AtomicLong acceptSeq = new AtomicLong();

	private volatile Predicate<String> faults = (operation) -> false;

	/**
	 * Counts of a batch's records asked for (each a read of all of them in a journal).
	 */
	private final Map<String, AtomicInteger> counted = new ConcurrentHashMap<>();

	/** How many counts of the batch's records were asked for. */
	int counted(String batchId) {
		AtomicInteger count = this.counted.get(batchId);
		return (count != null) ? count.get() : 0;
	}

	private void counting(String batchId) {
		this.counted.computeIfAbsent(batchId, (id) -> new AtomicInteger()).incrementAndGet();
	}

	/** Fails the named operations ({@code pending}, {@code complete}, …) when true. */
	void failWhen(Predicate<String> faults) {
		this.faults = faults;
	}

	private <T> Mono<T> maybeFail(String operation, Mono<T> work) {
		return Mono.defer(() -> this.faults.test(operation)
				? Mono.error(new TransientDataAccessResourceException("injected fault in " + operation)) : work);
	}

	/** Stores a queued batch with pending records for these customers. */
	synchronized Batch add(String id, String subscriptionId, int priority, String... customers) {
		Batch batch = new Batch(id, this.acceptSeq.incrementAndGet(), subscriptionId, BatchSource.BULK,
				BatchStatus.QUEUED, null, priority, false, false, priority > 0, customers.length, null, null, null,
				Instant.now(), null, null);
		this.batches.put(id, batch);
		TreeMap<Integer, BatchRecord> rows = new TreeMap<>();
		for (int i = 0; i < customers.length; i++) {
			rows.put(i, BatchRecord.pending(id, i, customers[i], customers[i] + "@example.com",
					Customers.customer(customers[i]).email(customers[i] + "@example.com").json()));
		}
		this.records.put(id, rows);
		this.events.put(id, new TreeMap<>());
		return batch;
	}

	synchronized List<BatchRecord> records(String batchId) {
		return List.copyOf(this.records.get(batchId).values());
	}

	synchronized List<BatchEvent> eventsOf(String batchId) {
		return List.copyOf(this.events.get(batchId).values());
	}

	synchronized BatchStatus status(String batchId) {
		return this.batches.get(batchId).status();
	}

	@Override
	public synchronized Mono<Batch> create(Batch batch) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Mono<Void> insertRecords(List<BatchRecord> records) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Mono<Void> markReceived(String batchId, int total, String bodyHash) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Mono<Void> discard(String batchId) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Mono<Long> discardUnacknowledged(Instant before) {
		return Mono.just(0L);
	}

	@Override
	public Mono<Batch> find(String batchId) {
		return Mono.fromCallable(() -> {
			synchronized (this) {
				return this.batches.get(batchId);
			}
		});
	}

	@Override
	public Mono<Batch> findByIdempotencyKey(String subscriptionId, String idempotencyKey) {
		return Mono.empty();
	}

	@Override
	public Flux<Batch> findAll(String subscriptionId, BatchStatus status, int limit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Flux<Batch> findUnfinished(String subscriptionId) {
		return Flux.defer(() -> {
			synchronized (this) {
				return Flux.fromIterable(this.batches.values()
					.stream()
					.filter((batch) -> batch.subscriptionId().equals(subscriptionId) && !batch.status().isFinal())
					.sorted(Comparator.comparingLong(Batch::acceptSeq))
					.toList());
			}
		});
	}

	@Override
	public Flux<String> subscriptionsWithUnfinishedBatches() {
		return Flux.defer(() -> {
			synchronized (this) {
				return Flux.fromIterable(this.batches.values()
					.stream()
					.filter((batch) -> !batch.status().isFinal())
					.map(Batch::subscriptionId)
					.distinct()
					.toList());
			}
		});
	}

	@Override
	public Mono<Void> updateStatus(String batchId, BatchStatus status, String reason) {
		return maybeFail("updateStatus", Mono.fromRunnable(() -> {
			synchronized (this) {
				this.batches.computeIfPresent(batchId, (id, batch) -> batch.withStatus(status, reason));
			}
		}));
	}

	@Override
	public Flux<BatchRecord> pending(String batchId, int afterIndex, int limit) {
		return maybeFail("pending", Mono.fromCallable(() -> {
			synchronized (this) {
				return this.records.get(batchId)
					.tailMap(afterIndex, false)
					.values()
					.stream()
					.filter((record) -> record.outcome() == null)
					.limit(limit)
					.toList();
			}
		})).flatMapIterable((list) -> list);
	}

	@Override
	public Mono<Long> countPending(String batchId) {
		return maybeFail("countPending", Mono.fromCallable(() -> {
			counting(batchId);
			synchronized (this) {
				return this.records.get(batchId).values().stream().filter((r) -> r.outcome() == null).count();
			}
		}));
	}

	@Override
	public Mono<Map<Outcome, Long>> countOutcomes(String batchId) {
		return Mono.fromCallable(() -> {
			counting(batchId);
			synchronized (this) {
				Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
				this.records.get(batchId)
					.values()
					.stream()
					.filter((r) -> r.outcome() != null)
					.forEach((r) -> counts.merge(r.outcome(), 1L, Long::sum));
				return counts;
			}
		});
	}

	@Override
	public Flux<BatchRecord> records(String batchId, Outcome outcome, long offset, int limit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Mono<Boolean> underFence(Fence fence, Mono<Void> writes) {
		return writes.thenReturn(true);
	}

	@Override
	public Mono<Void> complete(List<BatchRecord> finished, List<BatchEvent> events) {
		return maybeFail("complete", Mono.fromRunnable(() -> {
			synchronized (this) {
				finished.forEach((record) -> this.records.get(record.batchId()).put(record.index(), record));
				events.forEach((event) -> this.events.get(event.batchId()).put(event.seq(), event));
			}
		}));
	}

	@Override
	public Mono<Long> cancelPending(String batchId, Set<Integer> running) {
		return Mono.fromCallable(() -> {
			synchronized (this) {
				long count = 0;
				for (BatchRecord record : new ArrayList<>(this.records.get(batchId).values())) {
					if (record.outcome() == null && !running.contains(record.index())) {
						this.records.get(batchId)
							.put(record.index(),
									new BatchRecord(batchId, record.index(), record.ipaasCustomerId(), record.email(),
											record.payload(), Outcome.CANCELLED, null, 0, 0, null, null, null, null,
											null, Instant.now()));
						count++;
					}
				}
				return count;
			}
		});
	}

	@Override
	public Mono<Void> appendEvents(List<BatchEvent> events) {
		return complete(List.of(), events);
	}

	@Override
	public Flux<BatchEvent> events(String batchId, long afterSeq) {
		return Flux.defer(() -> {
			synchronized (this) {
				return Flux.fromIterable(List.copyOf(this.events.get(batchId).tailMap(afterSeq, false).values()));
			}
		});
	}

	@Override
	public Flux<BatchEvent> eventsBetween(String type, Instant from, Instant to) {
		return Flux.defer(() -> {
			synchronized (this) {
				return Flux.fromIterable(this.events.values()
					.stream()
					.flatMap((log) -> log.values().stream())
					.filter((event) -> event.type().equals(type) && !event.createdAt().isBefore(from)
							&& event.createdAt().isBefore(to))
					.toList());
			}
		});
	}

	@Override
	public Mono<BatchEvent> lastEvent(String batchId, String type) {
		return Mono.empty();
	}

	@Override
	public Mono<Long> lastSeq(String batchId) {
		return maybeFail("lastSeq", Mono.fromCallable(() -> {
			synchronized (this) {
				TreeMap<Long, BatchEvent> log = this.events.get(batchId);
				return log.isEmpty() ? 0L : log.lastKey();
			}
		}));
	}

}

package io.stampedsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.stampedsync.outbound.Direction;
import io.stampedsync.sandbox.CallRecord;
import io.stampedsync.throttle.PermitObserver;

/**
 * The evidence of one quota or latency run, written beside the results: the simulator's
 * arrival log and the gateway's permit log, on one clock ({@code System.nanoTime} of this
 * JVM), in milliseconds from the run's first arrival.
 */
final class QuotaTrace {

	private QuotaTrace() {
	}

	/**
	 * Rows {@code kind,ms,status,answered}: {@code permit} when the gateway started a
	 * call (its permit given), {@code arrival} when the simulator counted it, with the
	 * status it answered and when it answered (ms; the simulator's latency included).
	 */
	static void write(Path file, long firstArrival, List<? extends CallRecord<?>> calls, List<Long> permits) {
		List<String> rows = new ArrayList<>();
		rows.add("kind,ms,status,answered");
		for (long permit : permits) {
			rows.add(String.format(Locale.ROOT, "permit,%.3f,,", (permit - firstArrival) / 1e6));
		}
		for (CallRecord<?> call : calls) {
			rows.add(String.format(Locale.ROOT, "arrival,%.3f,%d,%.3f", (call.arrivalNanos() - firstArrival) / 1e6,
					call.status(), (call.answeredNanos() - firstArrival) / 1e6));
		}
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, rows);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Quota use that does not depend on where the run cuts the bursts: W over the mean
	 * time from arrival i to arrival i+L. A lane that sends a burst of L every period P
	 * gives W/P whichever part of a burst the run ends in (the sum of those times is the
	 * sum of the last L arrivals less the sum of the first L), while a count of calls in
	 * D swings between L·⌊D/P⌋ and L·⌈D/P⌉.
	 */
	static double steadyUse(List<Long> arrivals, int limit, Duration window) {
		int pairs = arrivals.size() - limit;
		if (pairs <= 0) {
			return Double.NaN;
		}
		double total = 0;
		for (int i = 0; i < pairs; i++) {
			total += arrivals.get(i + limit) - arrivals.get(i);
		}
		return window.toNanos() / (total / pairs);
	}

	/**
	 * The longest time from the n-th permit to the n-th arrival, in ms, when every permit
	 * has its arrival (no 429, no call lost); empty otherwise. Calls overtake one another
	 * only within C, so this is near each call's own lag.
	 */
	static Optional<Double> maxLagMillis(List<Long> permits, List<? extends CallRecord<?>> calls) {
		List<Long> starts = permits.stream().sorted().toList();
		List<Long> arrivals = calls.stream().map(CallRecord::arrivalNanos).sorted().toList();
		if (starts.size() != arrivals.size() || starts.isEmpty()) {
			return Optional.empty();
		}
		long most = 0;
		for (int i = 0; i < starts.size(); i++) {
			most = Math.max(most, arrivals.get(i) - starts.get(i));
		}
		return Optional.of(most / 1e6);
	}

	/** Records the time each Stamped.io call of a subscription got its permit. */
	static final class Permits implements PermitObserver {

		private final Map<String, ConcurrentLinkedQueue<Long>> times = new ConcurrentHashMap<>();

		@Override
		public void waited(String subscriptionId, Direction direction, Duration wait) {
			if (direction == Direction.STAMPED) {
				this.times.computeIfAbsent(subscriptionId, (id) -> new ConcurrentLinkedQueue<>())
					.add(System.nanoTime());
			}
		}

		List<Long> of(String subscriptionId) {
			return new ArrayList<>(this.times.getOrDefault(subscriptionId, new ConcurrentLinkedQueue<>()));
		}

	}

}

package io.stampedsync.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * What a simulator has seen, for tests and benchmarks: calls per endpoint, accepted
 * calls, 429s, in-flight requests, the most calls in any sliding window of W, and a
 * bounded call log. Thread-safe; read at any time.
 *
 * <p>
 * Every request is an <em>arrival</em>. A request that no fault takes and the rate limit
 * lets through is <em>accepted</em>; faulted and rate-limited requests are not.
 *
 * @param <E> the simulator's endpoint kinds
 */
public final class CallStats<E extends Enum<E>> {

	private final LongSupplier nanoTime;

	private final AtomicLongArray calls;

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong rateLimited = new AtomicLong();

	private final AtomicLong faulted = new AtomicLong();

	private final ConcurrentHashMap<Integer, AtomicLong> responses = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, AtomicLong> callsByKey = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, AtomicLong> answersLostByKey = new ConcurrentHashMap<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final SlidingWindow arrivals;

	private final SlidingWindow acceptedWindow;

	private final int logCapacity;

	private final ArrayDeque<CallRecord<E>> log = new ArrayDeque<>();

	private volatile Duration window;

	CallStats(Class<E> endpoints, LongSupplier nanoTime, Duration window, int logCapacity) {
		this.nanoTime = nanoTime;
		this.calls = new AtomicLongArray(endpoints.getEnumConstants().length);
		this.arrivals = new SlidingWindow(nanoTime, window);
		this.acceptedWindow = new SlidingWindow(nanoTime, window);
		this.logCapacity = logCapacity;
		this.window = window;
	}

	/** Every request that arrived. */
	public long total() {
		return this.total.get();
	}

	/** Requests that arrived for {@code endpoint}. */
	public long calls(E endpoint) {
		return this.calls.get(endpoint.ordinal());
	}

	/** Requests served: not faulted, not rate-limited. */
	public long accepted() {
		return this.accepted.get();
	}

	/** 429s sent by the sliding-window rate limit (scripted 429s are faults). */
	public long rateLimited() {
		return this.rateLimited.get();
	}

	/** Requests answered with a scripted or random fault. */
	public long faultsInjected() {
		return this.faulted.get();
	}

	/** Requests answered with {@code status} (faults and 429s included). */
	public long responses(int status) {
		AtomicLong count = this.responses.get(status);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Requests that arrived about {@code key} (for the Stamped.io simulator: the
	 * customer's email, case-insensitive), faulted and rate-limited ones included.
	 */
	public long callsFor(String key) {
		AtomicLong count = this.callsByKey.get(normalize(key));
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Requests about {@code key} that were served but whose answer was lost on purpose
	 * ({@link Fault#resetAfterApplied()}, {@link Fault#noResponseAfterApplied()}).
	 */
	public long answersLostFor(String key) {
		AtomicLong count = this.answersLostByKey.get(normalize(key));
		return (count != null) ? count.get() : 0;
	}

	/** Requests being handled now, latency included. */
	public int inFlight() {
		return this.inFlight.get();
	}

	/** The most requests handled at once since the last reset. */
	public int maxInFlight() {
		return this.maxInFlight.get();
	}

	/** The most arrivals in any sliding window of {@link #window()}. */
	public int maxArrivalsInWindow() {
		return this.arrivals.max();
	}

	/** The most accepted requests in any sliding window of {@link #window()}. */
	public int maxAcceptedInWindow() {
		return this.acceptedWindow.max();
	}

	/** W of the window counts: the rate limit's window, 60 s until one is set. */
	public Duration window() {
		return this.window;
	}

	/** The last calls (at most the log capacity), oldest first. */
	public synchronized List<CallRecord<E>> callLog() {
		return new ArrayList<>(this.log);
	}

	/** Zeroes every counter, the window counts and the log; in-flight requests stay. */
	public synchronized void reset() {
		for (int i = 0; i < this.calls.length(); i++) {
			this.calls.set(i, 0);
		}
		this.total.set(0);
		this.accepted.set(0);
		this.rateLimited.set(0);
		this.faulted.set(0);
		this.responses.clear();
		this.callsByKey.clear();
		this.answersLostByKey.clear();
		this.maxInFlight.set(this.inFlight.get());
		this.arrivals.reset();
		this.acceptedWindow.reset();
		this.log.clear();
	}

	void window(Duration window) {
		this.window = window;
		this.arrivals.window(window);
		this.acceptedWindow.window(window);
	}

	/** Counts an arrival and enters it in flight; returns its arrival time. */
	long arrive(E endpoint) {
		long arrival = this.nanoTime.getAsLong();
		this.total.incrementAndGet();
		this.calls.incrementAndGet(endpoint.ordinal());
		this.arrivals.record();
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight.accumulateAndGet(now, Math::max);
		return arrival;
	}

	void calledAbout(String key) {
		this.callsByKey.computeIfAbsent(normalize(key), (k) -> new AtomicLong()).incrementAndGet();
	}

	void answerLost(String key) {
		this.answersLostByKey.computeIfAbsent(normalize(key), (k) -> new AtomicLong()).incrementAndGet();
	}

	private static String normalize(String key) {
		return key.trim().toLowerCase(Locale.ROOT);
	}

	void onAccepted() {
		this.accepted.incrementAndGet();
		this.acceptedWindow.record();
	}

	void onRateLimited() {
		this.rateLimited.incrementAndGet();
	}

	void onFaulted() {
		this.faulted.incrementAndGet();
	}

	void answered(long arrival, E endpoint, int status, String key, String retryAfter) {
		long answered = this.nanoTime.getAsLong();
		this.responses.computeIfAbsent(status, (code) -> new AtomicLong()).incrementAndGet();
		if (this.logCapacity == 0) {
			return;
		}
		synchronized (this) {
			if (this.log.size() == this.logCapacity) {
				this.log.removeFirst();
			}
			this.log.addLast(new CallRecord<>(arrival, endpoint, status, answered, key, retryAfter));
		}
	}

	void left() {
		this.inFlight.decrementAndGet();
	}

}

package io.stampedsync.throttle;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnDrainedEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnFailureEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnSuccessEvent;
import io.github.resilience4j.ratelimiter.internal.RateLimiterEventProcessor;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A Resilience4j {@link RateLimiter} that keeps L calls per W as a sliding-window log
 * (DESIGN.md §2). Each call has an entry: the latest time the remote can have received
 * it. A call L places after another goes no sooner than W after that entry, so any L+1
 * calls reach the remote at least W apart and no sliding window of W, however the remote
 * counts it, sees more than L. An idle lane's first L calls go at once.
 * <p>
 * The entry of an answered call is its answer (the remote had the request by then) less a
 * <em>round-trip credit</em>: the lane's shortest recent round trip (start to answer)
 * less the slack and less the spread of the recent round trips (their median less the
 * shortest). It rests on one assumption: the part of a round trip after the request
 * reached the remote (the remote's work and the way back) is never shorter than the
 * credit. A request slow to leave or to arrive (a cold connection, a busy event loop)
 * lengthens only its own round trip and stays covered; only an answer faster than the
 * lane has recently seen could break it, and then by at most that shortest round trip.
 * The spread is for a loaded machine, where every recent round trip may carry waits for
 * busy event loops that one call's way back and a later call's way there need not have:
 * the shortest then lies above the floor by about what those waits vary by, and the more
 * they vary, the less credit (none at all, the answer alone as the bound, when the median
 * is the shortest plus the shortest less the slack). The history must hold
 * {@link RoundTrips#WARM} calls more than the lane has had in flight at once (so that it
 * is not only each connection's first, cold, call, nor a few slow ones); until then the
 * answer alone is the bound. A busy lane runs at about W / (W + slack + twice the spread
 * of its round trips) of L/W instead of W / (W + answer time).
 * <p>
 * A call in flight counts until it ends: the call L places after it waits for its answer,
 * however long the request takes to arrive (a cold connection's took 2.6 s on a loaded
 * machine, more than W = 2 s). An arrival lag below W ({@code lagShare} below 1, opt-in)
 * bounds a started call's entry by its start plus the lag instead: the most a request is
 * taken to need from its start to the remote.
 * <p>
 * A call not started bounds nothing yet: the call L places after it waits for its start.
 * A call abandoned mid-flight counts until its end plus the margin (its request may still
 * be under way); one abandoned before it was made, until its end. A call that failed with
 * no answer (refused, reset, timed out) is reported as abandoned, not answered: without
 * an answer nothing bounds when its request reached the remote, so it gets no round-trip
 * credit.
 * <p>
 * Calls are tracked through {@link #permit()}. The plain {@code RateLimiter} methods
 * (used by code that cannot report the call's start and answer) log the permit time plus
 * the lag.
 * <p>
 * Why not {@code AtomicRateLimiter}: its fixed cycles need a permit per W/(L-1) to be
 * safe against a sliding window, which caps use at (L-1)/L (0.95 at L = 20). L and W
 * change in place ({@link #change}) and hold from the next call. A reservation is never
 * refused: callers are bounded by the dispatcher's concurrency.
 */
public final class SlidingLogLimiter implements RateLimiter {

	private final String name;

	private final LongSupplier nanoTime;

	private final long marginNanos;

	/** The arrival lag as a share of W. */
	private final double lagShare;

	/** How much less than the shortest recent round trip an answer may take. */
	private final long slackNanos;

	private final RateLimiterEventProcessor events = new RateLimiterEventProcessor();

	private volatile RateLimiterConfig config;

	private int limit;

	private long windowNanos;

	/** Whether a started call's entry is at most its start plus the lag. */
	private boolean lagBound;

	/**
	 * The arrival lag: lagShare × W; W without a lag bound, for the calls that cannot
	 * report their answer (the plain methods) and for estimates.
	 */
	private long lagNanos;

	/** The longest window seen: older entries can no longer hold back any call. */
	private long horizonNanos;

	private final CallEntries log = new CallEntries();

	private final RoundTrips roundTrips = new RoundTrips();

	/** Permits handed out whose call has not started. */
	private int waiting;

	/** Calls started and not ended. */
	private int inFlight;

	/** The most calls ever in flight at once. */
	private int mostInFlight;

	/** Completes at the next start or end of a call (then replaced). */
	private Sinks.Empty<Void> changes = Sinks.empty();

	/**
	 * A limiter of L per W.
	 * @param name the name (metrics, events)
	 * @param limit L, at least 1
	 * @param window W, positive
	 * @param pacing the margin, the arrival lag and the round-trip slack
	 * @param nanoTime the time source
	 */
	public SlidingLogLimiter(String name, int limit, Duration window, ThrottleProperties pacing,
			LongSupplier nanoTime) {
		this.name = name;
		this.nanoTime = nanoTime;
		this.marginNanos = pacing.margin().toNanos();
		this.lagShare = pacing.lagShare();
		this.slackNanos = pacing.roundTripSlack().toNanos();
		change(limit, window);
	}

	/**
	 * A limiter of L per W without the round-trip credit: a call counts until its answer
	 * or its start plus the lag, whichever is sooner.
	 * @param name the name (metrics, events)
	 * @param limit L, at least 1
	 * @param window W, positive
	 * @param margin added to the end of a call abandoned mid-flight
	 * @param lagShare the arrival lag as a share of W: a started call's entry is at most
	 * its start plus this share of W (above 0, at most 1)
	 * @param nanoTime the time source
	 */
	public SlidingLogLimiter(String name, int limit, Duration window, Duration margin, double lagShare,
			LongSupplier nanoTime) {
		this(name, limit, window, new ThrottleProperties(margin, lagShare, ThrottleProperties.NO_ROUND_TRIP_CREDIT),
				nanoTime);
	}

	/** Applies a new L and W; the log is kept, so they hold from the next call. */
	public synchronized void change(int limit, Duration window) {
		if (limit < 1 || window.isZero() || window.isNegative()) {
			throw new IllegalArgumentException("limit must be at least 1 and window positive");
		}
		this.limit = limit;
		this.windowNanos = window.toNanos();
		this.lagBound = this.lagShare < 1;
		this.lagNanos = (long) (this.lagShare * this.windowNanos);
		// An entry lies at most the lag after its start: it holds back calls for W + lag.
		this.horizonNanos = Math.max(this.horizonNanos, this.windowNanos + this.lagNanos);
		this.config = RateLimiterConfig.custom()
			.limitForPeriod(limit)
			.limitRefreshPeriod(window)
			.timeoutDuration(Duration.ofDays(3650))
			.build();
	}

	/** Whether this limiter already keeps L per W. */
	public synchronized boolean limits(int limit, Duration window) {
		return this.limit == limit && this.windowNanos == window.toNanos();
	}

	/** The margin. */
	public Duration margin() {
		return Duration.ofNanos(this.marginNanos);
	}

	/** The arrival lag for the current W. */
	public synchronized Duration lag() {
		return Duration.ofNanos(this.lagNanos);
	}

	/**
	 * A permit for one call whose end will be reported: apply it with
	 * {@code RateLimiterOperator.of(permit)} (it is a {@link RateLimiter} of its own),
	 * then wait for {@link Permit#due()} before calling.
	 */
	public Permit permit() {
		return new Permit();
	}

	/**
	 * Reserves {@code permits} permits, one after the other, logged at their permit time
	 * plus the lag, and answers the nanoseconds until the last may be used.
	 */
	@Override
	public long reservePermission(int permits) {
		long wait = 0;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			for (int i = 0; i < permits; i++) {
				long seq = this.log.append(CallEntries.UNKNOWN);
				long at = now + Math.max(0, estimate(seq, now));
				this.log.set(seq, at + this.lagNanos);
				wait = at - now;
			}
		}
		publishSuccess(permits);
		return wait;
	}

	/**
	 * Takes the permits, logged like {@link #reservePermission}, only if all are free
	 * now.
	 */
	@Override
	public boolean acquirePermission(int permits) {
		boolean acquired = true;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			int appended = 0;
			for (; appended < permits; appended++) {
				long seq = this.log.append(now + this.lagNanos);
				if (estimate(seq, now) > 0) {
					acquired = false;
					appended++;
					break;
				}
			}
			if (!acquired) {
				this.log.removeLast(appended);
			}
		}
		if (acquired) {
			publishSuccess(permits);
		}
		else if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnFailureEvent(this.name, permits));
		}
		return acquired;
	}

	/** Uses up the current window: the next L calls wait W from now. */
	@Override
	public void drainPermissions() {
		int drained;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			drained = Math.max(0, available(now));
			for (int i = 0; i < this.limit; i++) {
				this.log.append(now);
			}
		}
		if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnDrainedEvent(this.name, drained));
		}
	}

	@Override
	public void changeTimeoutDuration(Duration timeoutDuration) {
		// Reservations are never refused (see the class comment): nothing to change.
	}

	@Override
	public synchronized void changeLimitForPeriod(int limitForPeriod) {
		change(limitForPeriod, Duration.ofNanos(this.windowNanos));
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public RateLimiterConfig getRateLimiterConfig() {
		return this.config;
	}

	@Override
	public Map<String, String> getTags() {
		return Map.of();
	}

	@Override
	public Metrics getMetrics() {
		return new Metrics() {

			@Override
			public int getNumberOfWaitingThreads() {
				return waiting();
			}

			@Override
			public int getAvailablePermissions() {
				return available();
			}

		};
	}

	@Override
	public EventPublisher getEventPublisher() {
		return this.events;
	}

	/** Permits handed out whose call has not started. */
	synchronized int waiting() {
		return this.waiting;
	}

	/** Calls that could start now without waiting (negative when more are taken). */
	synchronized int available() {
		return available(this.nanoTime.getAsLong());
	}

	private int available(long now) {
		return this.limit - this.log.countAfter(now - this.windowNanos);
	}

	/**
	 * Nanoseconds until call {@code seq} may go: 0 now, -1 unknown (a call L places
	 * before it, or earlier, has not started).
	 */
	private long nanosToWait(long seq, long now) {
		this.log.dropOlderThan(now, this.horizonNanos);
		if (this.log.unknownUpTo(seq - this.limit)) {
			return -1;
		}
		return waitAfter(this.log.latestEndUpTo(seq - this.limit), now);
	}

	/** Like {@link #nanosToWait} but reading a call not started as starting now. */
	private long estimate(long seq, long now) {
		this.log.dropOlderThan(now, this.horizonNanos);
		long latest = this.log.latestEndUpTo(seq - this.limit);
		return waitAfter(this.log.unknownUpTo(seq - this.limit) ? Math.max(latest, now + this.lagNanos) : latest, now);
	}

	/**
	 * The latest the remote can have received a call started at {@code start} and
	 * answered at {@code now}: the answer less the round-trip credit (the shortest recent
	 * round trip, this one included, less the slack and the spread: never before the
	 * start plus the slack), once the history holds {@link RoundTrips#WARM} calls more
	 * than were ever in flight at once; and at most the start plus the lag, with a lag
	 * bound.
	 */
	private long arrivedBy(long start, long now) {
		this.roundTrips.add(now - start);
		long credit = 0;
		if (this.roundTrips.count() >= this.mostInFlight + RoundTrips.WARM) {
			long shortest = this.roundTrips.shortest();
			// Less the spread too: on a loaded machine every recent round trip may carry
			// waits for busy event loops that one call's way back and a later one's way
			// there need not have, so the shortest overstates the floor by about what
			// those waits vary by.
			long spread = this.roundTrips.median() - shortest;
			credit = Math.max(0, shortest - this.slackNanos - spread);
		}
		return this.lagBound ? Math.min(now - credit, start + this.lagNanos) : now - credit;
	}

	/** Wakes the callers that wait for a call to start or end. */
	private void changed() {
		Sinks.Empty<Void> changed = this.changes;
		this.changes = Sinks.empty();
		changed.tryEmitEmpty();
	}

	private long waitAfter(long latest, long now) {
		return (latest == Long.MIN_VALUE) ? 0 : Math.max(0, latest + this.windowNanos - now);
	}

	private void publishSuccess(int permits) {
		if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnSuccessEvent(this.name, permits));
		}
	}

	/**
	 * The permit of one call, as a {@link RateLimiter} for {@code RateLimiterOperator}:
	 * its {@code reservePermission} logs the call (not started) and answers the estimated
	 * wait, {@link #nanosToWait} or {@link #due} starts it, its
	 * {@code onResult}/{@code onError} log the answer. Names, config, metrics and events
	 * are those of the lane's limiter.
	 */
	public final class Permit implements RateLimiter {

		private long seq = -1;

		private boolean started;

		private long startNanos;

		private boolean ended;

		private Permit() {
		}

		@Override
		public long reservePermission(int permits) {
			long wait;
			synchronized (SlidingLogLimiter.this) {
				if (this.seq >= 0) {
					throw new IllegalStateException("A call permit is reserved once");
				}
				long now = SlidingLogLimiter.this.nanoTime.getAsLong();
				this.seq = SlidingLogLimiter.this.log.append(CallEntries.UNKNOWN);
				SlidingLogLimiter.this.waiting++;
				if (SlidingLogLimiter.this.lagBound) {
					// Less the lag: an answer may yet bring the calls in flight forward,
					// and due() waits out whatever is left.
					wait = Math.max(0, estimate(this.seq, now) - SlidingLogLimiter.this.lagNanos);
				}
				else {
					// W after the calls ended so far: a call in flight may yet end at
					// once, and due() waits out whatever is left.
					SlidingLogLimiter.this.log.dropOlderThan(now, SlidingLogLimiter.this.horizonNanos);
					wait = waitAfter(SlidingLogLimiter.this.log.latestEndUpTo(this.seq - SlidingLogLimiter.this.limit),
							now);
				}
			}
			publishSuccess(1);
			return wait;
		}

		/**
		 * Nanoseconds until the call may start (0: now, and it counts as started: its
		 * entry becomes now plus the lag), or -1 while a call it depends on has not
		 * started (ask again after a while).
		 */
		public long nanosToWait() {
			synchronized (SlidingLogLimiter.this) {
				long now = SlidingLogLimiter.this.nanoTime.getAsLong();
				long wait = SlidingLogLimiter.this.nanosToWait(this.seq, now);
				if (wait == 0 && !this.started && !this.ended) {
					this.started = true;
					this.startNanos = now;
					SlidingLogLimiter.this.waiting--;
					SlidingLogLimiter.this.inFlight++;
					SlidingLogLimiter.this.mostInFlight = Math.max(SlidingLogLimiter.this.mostInFlight,
							SlidingLogLimiter.this.inFlight);
					SlidingLogLimiter.this.log.set(this.seq, SlidingLogLimiter.this.lagBound
							? now + SlidingLogLimiter.this.lagNanos : CallEntries.UNKNOWN);
					changed();
				}
				return wait;
			}
		}

		/**
		 * One look at whether the call may start: true (and it counts as started) when it
		 * may now; otherwise empty after a pause, when it is worth looking again: the
		 * known wait or the next start or end of a call, whichever comes first.
		 */
		public Mono<Boolean> due() {
			return Mono.defer(() -> {
				long wait;
				Mono<Void> nextChange;
				synchronized (SlidingLogLimiter.this) {
					wait = nanosToWait();
					// Taken under the lock: an end after the look above completes it.
					nextChange = SlidingLogLimiter.this.changes.asMono();
				}
				if (wait == 0) {
					return Mono.just(Boolean.TRUE);
				}
				// An answer within the lag brings the permit forward: look again then
				// too.
				Mono<?> pause = (wait > 0) ? Mono.firstWithSignal(Mono.delay(Duration.ofNanos(wait)).then(), nextChange)
						: nextChange;
				return pause.then(Mono.empty());
			});
		}

		/**
		 * The call's answer (or failure) has arrived: the remote had its request by now,
		 * and by the round-trip credit sooner (see the class comment).
		 */
		public void answered() {
			synchronized (SlidingLogLimiter.this) {
				if (this.ended || this.seq < 0) {
					return;
				}
				long now = SlidingLogLimiter.this.nanoTime.getAsLong();
				end(this.started ? arrivedBy(this.startNanos, now) : now);
			}
		}

		/**
		 * The call was given up: mid-flight its request may still arrive, so it counts
		 * until the margin has passed (and at least its start plus the lag, with a lag
		 * bound); before it started it never will.
		 */
		public void abandoned() {
			synchronized (SlidingLogLimiter.this) {
				long now = SlidingLogLimiter.this.nanoTime.getAsLong();
				long midFlight = now + SlidingLogLimiter.this.marginNanos;
				if (SlidingLogLimiter.this.lagBound) {
					midFlight = Math.max(midFlight, this.startNanos + SlidingLogLimiter.this.lagNanos);
				}
				end(this.started ? midFlight : now);
			}
		}

		private void end(long entry) {
			if (this.ended || this.seq < 0) {
				return;
			}
			this.ended = true;
			if (this.started) {
				SlidingLogLimiter.this.inFlight--;
			}
			else {
				SlidingLogLimiter.this.waiting--;
			}
			SlidingLogLimiter.this.log.set(this.seq, entry);
			changed();
		}

		@Override
		public void onResult(Object result) {
			answered();
		}

		@Override
		public void onError(Throwable throwable) {
			answered();
		}

		@Override
		public void onSuccess() {
			answered();
		}

		@Override
		public boolean acquirePermission(int permits) {
			return reservePermission(permits) == 0;
		}

		@Override
		public void drainPermissions() {
			SlidingLogLimiter.this.drainPermissions();
		}

		@Override
		public void changeTimeoutDuration(Duration timeoutDuration) {
		}

		@Override
		public void changeLimitForPeriod(int limitForPeriod) {
			SlidingLogLimiter.this.changeLimitForPeriod(limitForPeriod);
		}

		@Override
		public String getName() {
			return SlidingLogLimiter.this.getName();
		}

		@Override
		public RateLimiterConfig getRateLimiterConfig() {
			return SlidingLogLimiter.this.getRateLimiterConfig();
		}

		@Override
		public Map<String, String> getTags() {
			return SlidingLogLimiter.this.getTags();
		}

		@Override
		public Metrics getMetrics() {
			return SlidingLogLimiter.this.getMetrics();
		}

		@Override
		public EventPublisher getEventPublisher() {
			return SlidingLogLimiter.this.getEventPublisher();
		}

	}

}

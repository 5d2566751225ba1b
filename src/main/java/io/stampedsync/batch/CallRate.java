package io.stampedsync.batch;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.stereotype.Component;

/**
 * The calls one batch's records made over the last minute, per direction: a ring of
 * {@value #SECONDS} one-second buckets on the same clock and boundaries as the
 * subscription's calls of the last minute (monitoring, {@code callsPerMinute}, counted
 * apart from its window of W), so that at any instant the batches of a subscription never
 * count more than the subscription, whatever W. Also keeps every call's duration since
 * the batch started here, to tell how long one record holds a connection.
 */
final class CallRate {

	static final int SECONDS = 60;

	private static final long BUCKET_NANOS = Duration.ofSeconds(1).toNanos();

	private final LongSupplier nanoTime;

	private final long[] buckets = new long[SECONDS];

	private final long[] stamped = new long[SECONDS];

	private final long[] ipaas = new long[SECONDS];

	private final long[] totals = new long[2];

	private final long[] busyNanos = new long[2];

	CallRate(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		Arrays.fill(this.buckets, Long.MIN_VALUE);
	}

	/** A context in which the clients' calls count for this batch. */
	Context into(Context context) {
		return context.put(CallRate.class, this);
	}

	synchronized void record(Direction direction, Duration duration) {
		long bucket = Math.floorDiv(this.nanoTime.getAsLong(), BUCKET_NANOS);
		int slot = (int) Math.floorMod(bucket, SECONDS);
		if (this.buckets[slot] != bucket) {
			this.buckets[slot] = bucket;
			this.stamped[slot] = 0;
			this.ipaas[slot] = 0;
		}
		int lane = direction.ordinal();
		if (direction == Direction.STAMPED) {
			this.stamped[slot]++;
		}
		else {
			this.ipaas[slot]++;
		}
		this.totals[lane]++;
		this.busyNanos[lane] += duration.toNanos();
	}

	/** Calls in the buckets of the last minute, the current one included. */
	synchronized Snapshot snapshot() {
		long current = Math.floorDiv(this.nanoTime.getAsLong(), BUCKET_NANOS);
		long stampedCalls = 0;
		long ipaasCalls = 0;
		for (int i = 0; i < SECONDS; i++) {
			if (this.buckets[i] > current - SECONDS && this.buckets[i] <= current) {
				stampedCalls += this.stamped[i];
				ipaasCalls += this.ipaas[i];
			}
		}
		int s = Direction.STAMPED.ordinal();
		int p = Direction.IPAAS.ordinal();
		return new Snapshot(stampedCalls, ipaasCalls, this.totals[s], this.totals[p],
				seconds(this.busyNanos[s], this.totals[s]), seconds(this.busyNanos[p], this.totals[p]));
	}

	private static double seconds(long nanos, long calls) {
		return (calls > 0) ? nanos / 1e9 / calls : 0;
	}

	/**
	 * The calls of a batch.
	 *
	 * @param stampedPerMinute Stamped.io calls in the last minute
	 * @param ipaasPerMinute iPaaS.com calls in the last minute
	 * @param stampedTotal Stamped.io calls since the batch started here
	 * @param ipaasTotal iPaaS.com calls since the batch started here
	 * @param stampedSeconds mean duration of one Stamped.io call, 0 when none yet
	 * @param ipaasSeconds mean duration of one iPaaS.com call, 0 when none yet
	 */
	record Snapshot(long stampedPerMinute, long ipaasPerMinute, long stampedTotal, long ipaasTotal,
			double stampedSeconds, double ipaasSeconds) {
	}

	/** Counts each attempt for the batch whose transfer made it. */
	@Component
	static class Recorder implements CallObserver {

		@Override
		public void onCall(OutboundCall call, ContextView context) {
			CallRate rate = context.getOrDefault(CallRate.class, null);
			if (rate != null) {
				rate.record(call.direction(), call.duration());
			}
		}

	}

}

package io.stampedsync.sandbox;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Timestamps of the calls in the last W, as a strict sliding window: a call at {@code t}
 * is in the window ending at {@code now} while {@code now - t < W}. Keeps the largest
 * count it has seen, which is exactly the most calls in any window of W, since such a
 * window holds the most calls when it ends at one of them. Reads the clock under its lock
 * so that timestamps stay in order.
 */
final class SlidingWindow {

	private final LongSupplier nanoTime;

	private long windowNanos;

	private long[] times = new long[64];

	private int head;

	private int size;

	private int max;

	SlidingWindow(LongSupplier nanoTime, Duration window) {
		this.nanoTime = nanoTime;
		this.windowNanos = window.toNanos();
	}

	/** Records a call now; returns the calls in the window, this one included. */
	synchronized int record() {
		long now = this.nanoTime.getAsLong();
		trim(now);
		push(now);
		return this.size;
	}

	/**
	 * Records a call now unless {@code limit} calls are already in the window. Returns 0
	 * when recorded, otherwise the nanoseconds until the oldest call leaves the window.
	 */
	synchronized long tryRecord(int limit) {
		long now = this.nanoTime.getAsLong();
		trim(now);
		if (this.size >= limit) {
			return Math.max(1, this.times[this.head] + this.windowNanos - now);
		}
		push(now);
		return 0;
	}

	/** The most calls seen in any window of W since the last reset. */
	synchronized int max() {
		return this.max;
	}

	/** The calls in the window ending now. */
	synchronized int current() {
		trim(this.nanoTime.getAsLong());
		return this.size;
	}

	/** Changes W; counts kept so far stay as they were measured. */
	synchronized void window(Duration window) {
		this.windowNanos = window.toNanos();
	}

	synchronized void reset() {
		this.head = 0;
		this.size = 0;
		this.max = 0;
	}

	private void trim(long now) {
		while (this.size > 0 && now - this.times[this.head] >= this.windowNanos) {
			this.head = (this.head + 1) % this.times.length;
			this.size--;
		}
	}

	private void push(long now) {
		if (this.size == this.times.length) {
			long[] grown = new long[this.times.length * 2];
			for (int i = 0; i < this.size; i++) {
				grown[i] = this.times[(this.head + i) % this.times.length];
			}
			this.times = grown;
			this.head = 0;
		}
		this.times[(this.head + this.size) % this.times.length] = now;
		this.size++;
		this.max = Math.max(this.max, this.size);
	}

}

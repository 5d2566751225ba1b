package io.stampedsync.bench;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.stampedsync.GatewayApi;

/**
 * The warm-up batch that the cost and compare scenarios run in the same gateway process
 * before the measured one, so that the measured batch runs the code the JIT has already
 * compiled, and the wait for the JIT to finish what that batch gave it.
 */
final class WarmUp {

	/**
	 * Customers of the warm-up batch when {@code bench.warmup} is not given. Not scaled
	 * with {@code bench.scale}: the JIT's thresholds are counts of calls, whatever the
	 * size of the batch measured after it.
	 */
	static final int DEFAULT_CUSTOMERS = 5_000;

	/** Below this share of one core the gateway counts as done with the warm-up. */
	static final double QUIET_SHARE = 0.1;

	private WarmUp() {
	}

	/** The warm-up's customers from the value of {@code bench.warmup}; 0: none. */
	static int customers(String property) {
		if (property == null || property.isBlank()) {
			return DEFAULT_CUSTOMERS;
		}
		int customers = Integer.parseInt(property.trim());
		if (customers < 0) {
			throw new IllegalArgumentException("bench.warmup is a count of customers, 0 or more: " + property);
		}
		return customers;
	}

	/**
	 * Whether a process that used {@code cpuSeconds} of CPU in {@code wallSeconds} is
	 * quiet: under {@link #QUIET_SHARE} of one core.
	 */
	static boolean quiet(double cpuSeconds, double wallSeconds) {
		return cpuSeconds < QUIET_SHARE * wallSeconds;
	}

	/**
	 * Waits, one interval at a time, until the process whose CPU seconds {@code cpu}
	 * reads is quiet over an interval (its compiler threads done with the warm-up's
	 * queue), or {@code atMost} has passed; answers the time waited.
	 */
	static Duration awaitQuiet(DoubleSupplier cpu, Duration interval, Duration atMost) {
		return awaitQuiet(cpu, System::nanoTime, () -> GatewayApi.sleep(interval.toMillis()), atMost);
	}

	/** The same on {@code clock} (nanoseconds), {@code pause} waiting one interval. */
	static Duration awaitQuiet(DoubleSupplier cpu, LongSupplier clock, Runnable pause, Duration atMost) {
		long start = clock.getAsLong();
		double before = cpu.getAsDouble();
		while (clock.getAsLong() - start < atMost.toNanos()) {
			long from = clock.getAsLong();
			pause.run();
			double now = cpu.getAsDouble();
			if (quiet(now - before, (clock.getAsLong() - from) / 1e9)) {
				break;
			}
			before = now;
		}
		return Duration.ofNanos(clock.getAsLong() - start);
	}

}

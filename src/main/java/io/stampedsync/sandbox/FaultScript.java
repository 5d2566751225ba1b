package io.stampedsync.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The faults a simulator applies to coming requests: a FIFO script of faults for the next
 * matching requests, then optional seeded random faults. Thread-safe; tests change it at
 * any time.
 *
 * @param <E> the simulator's endpoint kinds
 */
public final class FaultScript<E extends Enum<E>> {

	private final List<Scripted<E>> script = new ArrayList<>();

	private final List<RandomFault<E>> random = new ArrayList<>();

	/** Applies {@code fault} to the next request, whatever its endpoint. */
	public FaultScript<E> next(Fault fault) {
		return next(1, null, fault);
	}

	/**
	 * Applies {@code fault} to the next {@code times} requests, whatever their endpoint.
	 */
	public FaultScript<E> next(int times, Fault fault) {
		return next(times, null, fault);
	}

	/**
	 * Applies {@code fault} to the next {@code times} requests to {@code endpoint}
	 * ({@code null}: any endpoint), after the faults scripted before it for the same
	 * requests.
	 */
	public synchronized FaultScript<E> next(int times, E endpoint, Fault fault) {
		if (times < 1) {
			throw new IllegalArgumentException("times must be at least 1");
		}
		this.script.add(new Scripted<>(endpoint, fault, times));
		return this;
	}

	/**
	 * Applies {@code fault} with {@code probability} to every request that no scripted
	 * fault takes, drawing from a {@link Random} seeded with {@code seed}.
	 */
	public FaultScript<E> randomly(double probability, Fault fault, long seed) {
		return randomly(probability, null, fault, seed);
	}

	/**
	 * Like {@link #randomly(double, Fault, long)}, for requests to {@code endpoint} only
	 * ({@code null}: any endpoint).
	 */
	public synchronized FaultScript<E> randomly(double probability, E endpoint, Fault fault, long seed) {
		if (probability < 0 || probability > 1) {
			throw new IllegalArgumentException("probability must be within 0..1");
		}
		this.random.add(new RandomFault<>(endpoint, fault, probability, new Random(seed)));
		return this;
	}

	/** Scripted requests still to fail. */
	public synchronized int pending() {
		return this.script.stream().mapToInt((entry) -> entry.remaining).sum();
	}

	/** Removes every scripted and random fault. */
	public synchronized void clear() {
		this.script.clear();
		this.random.clear();
	}

	/** The fault for a request to {@code endpoint} that just arrived, or {@code null}. */
	synchronized Fault take(E endpoint) {
		Iterator<Scripted<E>> entries = this.script.iterator();
		while (entries.hasNext()) {
			Scripted<E> entry = entries.next();
			if (entry.endpoint == null || entry.endpoint == endpoint) {
				if (--entry.remaining == 0) {
					entries.remove();
				}
				return entry.fault;
			}
		}
		for (RandomFault<E> candidate : this.random) {
			if ((candidate.endpoint == null || candidate.endpoint == endpoint)
					&& candidate.random.nextDouble() < candidate.probability) {
				return candidate.fault;
			}
		}
		return null;
	}

	private static final class Scripted<E> {

		private final E endpoint;

		private final Fault fault;

		private int remaining;

		Scripted(E endpoint, Fault fault, int remaining) {
			this.endpoint = endpoint;
			this.fault = fault;
			this.remaining = remaining;
		}

	}

	private record RandomFault<E>(E endpoint, Fault fault, double probability, Random random) {

	}

}

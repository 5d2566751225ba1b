package io.stampedsync.sandbox;

/**
 * One call a simulator saw: when it arrived and when its answer started out
 * ({@code nanoTime} of the simulator's clock), which endpoint, how it was answered, and
 * what it was about.
 *
 * @param <E> the simulator's endpoint kinds
 * @param arrivalNanos arrival time on the simulator's nanotime clock
 * @param endpoint the endpoint kind
 * @param status the HTTP status sent, {@link #RESET} or {@link #NO_RESPONSE}
 * @param answeredNanos when the answer (or the reset) went out, on the same clock
 * @param key what the call was about (the Stamped.io simulator: the customer's email), or
 * {@code null}
 * @param retryAfter the Retry-After header sent, or {@code null}
 */
public record CallRecord<E extends Enum<E>>(long arrivalNanos, E endpoint, int status, long answeredNanos, String key,
		String retryAfter) {

	/** Status of a call answered with a connection reset. */
	public static final int RESET = -1;

	/** Status of a call never answered. */
	public static final int NO_RESPONSE = 0;

}

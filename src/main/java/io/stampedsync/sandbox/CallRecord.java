package io.stampedsync.sandbox;

/**
 * One call a simulator saw: when it arrived ({@code nanoTime} of the simulator's clock),
 * which endpoint, and how it was answered.
 *
 * @param <E> the simulator's endpoint kinds
 * @param arrivalNanos arrival time on the simulator's nanotime clock
 * @param endpoint the endpoint kind
 * @param status the HTTP status sent, {@link #RESET} or {@link #NO_RESPONSE}
 */
public record CallRecord<E extends Enum<E>>(long arrivalNanos, E endpoint, int status) {

	/** Status of a call answered with a connection reset. */
	public static final int RESET = -1;

	/** Status of a call never answered. */
	public static final int NO_RESPONSE = 0;

}

package io.stampedsync.transfer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import org.apache.commons.logging.Log;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessException;

/**
 * How every journal access that must not be given up waits out a failing journal (a lost
 * connection, a full disk, a database restarting): exponential backoff from 100 ms up to
 * 5 s, for as long as it takes. The journal is the source of truth, and giving up would
 * lose an outcome or the link that keeps the next sync of a customer from creating it
 * twice. Only data-access failures that another attempt can cure are retried: a refused
 * fence (the subscription moved to another replica) or a value the journal can never take
 * fails at once, so it cannot hold a store up forever.
 */
public final class JournalRetry {

	static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private JournalRetry() {
	}

	/** The retry, logging each failure at WARN on {@code logger} as {@code what}. */
	public static RetryBackoffSpec forever(Log logger, String what) {
		return Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF)
			.maxBackoff(MAX_BACKOFF)
			.filter(JournalRetry::isTransient)
			.doBeforeRetry((signal) -> logger.warn(what + " failed, retrying: " + signal.failure()));
	}

	/**
	 * {@code access} (a deferred Mono, so that each subscription accesses the journal
	 * anew), retried by {@code retry} once it has failed. Same attempts, delays and final
	 * failure as {@code access.retryWhen(retry)}, but the retry's companion is built only
	 * after a failure: {@code retryWhen} builds and subscribes one on every subscription,
	 * and nearly every access succeeds at once.
	 * @param <T> the value accessed
	 * @param access the journal access
	 * @param retry the retry, such as {@link #forever}
	 * @return the access, retried
	 */
	public static <T> Mono<T> retried(Mono<T> access, Retry retry) {
		return access.onErrorResume((first) -> {
			// The retry sees the first failure as its own first signal, then subscribes
			// the access again.
			AtomicBoolean replayFirst = new AtomicBoolean(true);
			return Mono.defer(() -> replayFirst.getAndSet(false) ? Mono.<T>error(first) : access).retryWhen(retry);
		});
	}

	/** Whether another attempt may succeed. */
	public static boolean isTransient(Throwable error) {
		if (error instanceof R2dbcTransientException || error instanceof R2dbcNonTransientResourceException) {
			// Not translated by Spring (raised outside a DatabaseClient call).
			return true;
		}
		if (!(error instanceof DataAccessException)) {
			return false;
		}
		// A resource failure (connection lost, database down) is the one non-transient
		// kind that heals by itself.
		return !(error instanceof NonTransientDataAccessException)
				|| error instanceof DataAccessResourceFailureException;
	}

}

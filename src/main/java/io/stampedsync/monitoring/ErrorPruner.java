package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes error log entries older than {@code error-retention}, every
 * {@code prune-interval}, in chunks of {@code prune-chunk} rows.
 */
@Component
class ErrorPruner implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ErrorPruner.class);

	/** The first pruning waits this long (at most): start-up has more urgent work. */
	private static final Duration FIRST_DELAY = Duration.ofMinutes(1);

	private final ErrorLog log;

	private final Clock clock;

	private final MonitoringProperties properties;

	private volatile Disposable schedule;

	ErrorPruner(ErrorLog log, Clock clock, MonitoringProperties properties) {
		this.log = log;
		this.clock = clock;
		this.properties = properties;
	}

	/** Deletes what is older than the retention now; answers how many went. */
	Mono<Long> prune() {
		return this.log.prune(this.clock.instant().minus(this.properties.errorRetention()),
				this.properties.pruneChunk());
	}

	@Override
	public void start() {
		Duration period = this.properties.pruneInterval();
		Duration first = (period.compareTo(FIRST_DELAY) < 0) ? period : FIRST_DELAY;
		this.schedule = Flux.interval(first, period)
			.onBackpressureDrop()
			.concatMap((tick) -> prune().doOnNext((deleted) -> {
				if (deleted > 0) {
					logger.info(
							"Pruned " + deleted + " error log entries older than " + this.properties.errorRetention());
				}
			}).onErrorResume((ex) -> {
				logger.warn("Pruning the error log failed, trying again later: " + ex.getMessage());
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.schedule;
		if (current != null) {
			current.dispose();
			this.schedule = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.schedule != null;
	}

}

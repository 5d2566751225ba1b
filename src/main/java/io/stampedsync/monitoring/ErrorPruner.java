package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;

import io.stampedsync.PeriodicPruning;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private final PeriodicPruning schedule;

	ErrorPruner(ErrorLog log, Clock clock, MonitoringProperties properties) {
		this.log = log;
		this.clock = clock;
		this.properties = properties;
		this.schedule = new PeriodicPruning(logger, "the error log", FIRST_DELAY, properties.pruneInterval(),
				this::prune,
				(deleted) -> "Pruned " + deleted + " error log entries older than " + properties.errorRetention());
	}

	/** Deletes what is older than the retention now; answers how many went. */
	Mono<Long> prune() {
		return this.log.prune(this.clock.instant().minus(this.properties.errorRetention()),
				this.properties.pruneChunk());
	}

	@Override
	public void start() {
		this.schedule.start();
	}

	@Override
	public void stop() {
		this.schedule.stop();
	}

	@Override
	public boolean isRunning() {
		return this.schedule.isRunning();
	}

}

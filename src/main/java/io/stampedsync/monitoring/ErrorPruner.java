package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;

import io.stampedsync.PeriodicPruner;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Deletes error log entries older than {@code error-retention}, every
 * {@code prune-interval}, in chunks of {@code prune-chunk} rows.
 */
@Component
class ErrorPruner extends PeriodicPruner {

	private static final Log logger = LogFactory.getLog(ErrorPruner.class);

	/** The first pruning waits this long (at most): start-up has more urgent work. */
	private static final Duration FIRST_DELAY = Duration.ofMinutes(1);

	private final ErrorLog log;

	private final Clock clock;

	private final MonitoringProperties properties;

	ErrorPruner(ErrorLog log, Clock clock, MonitoringProperties properties) {
		super(logger, "the error log", FIRST_DELAY, properties.pruneInterval());
		this.log = log;
		this.clock = clock;
		this.properties = properties;
	}

	/** Deletes what is older than the retention now; answers how many went. */
	@Override
	protected Mono<Long> prune() {
		return this.log.prune(this.clock.instant().minus(this.properties.errorRetention()),
				this.properties.pruneChunk());
	}

	@Override
	protected String report(long deleted) {
		return "Pruned " + deleted + " error log entries older than " + this.properties.errorRetention();
	}

}

package io.stampedsync;

import java.time.Duration;

import org.apache.commons.logging.Log;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * A pruner that runs on a {@link PeriodicPruning} schedule for as long as the application
 * context runs: the schedule starts and stops with the context.
 */
public abstract class PeriodicPruner implements SmartLifecycle {

	private final PeriodicPruning schedule;

	/**
	 * @param log where the pruner reports, under its own name
	 * @param what what is pruned, for the failure line ("the journal")
	 * @param firstDelay the longest wait before the first run
	 * @param period the time between two runs
	 */
	protected PeriodicPruner(Log log, String what, Duration firstDelay, Duration period) {
		this.schedule = new PeriodicPruning(log, what, firstDelay, period, this::prune, this::report);
	}

	/** One run; answers how many things went. */
	protected abstract Mono<Long> prune();

	/** The info line of a run that pruned {@code count} things. */
	protected abstract String report(long count);

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

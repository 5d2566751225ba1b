package io.stampedsync;

import java.time.Duration;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A background pruning, off the hot path: its first run after at most a given delay
 * (start-up has more urgent work), then one run every period. A run never overlaps the
 * previous one (ticks that come during it are dropped), and a failed run is logged and
 * tried again at the next tick, so the schedule lives as long as the application.
 */
public final class PeriodicPruning {

	private final Log log;

	private final String what;

	private final Duration firstDelay;

	private final Duration period;

	private final Supplier<Mono<Long>> prune;

	private final LongFunction<String> report;

	private volatile Disposable schedule;

	/**
	 * Creates a schedule; nothing runs before {@link #start()}.
	 * @param log where the pruner reports, under its own name
	 * @param what what is pruned, for the failure line ("the journal")
	 * @param firstDelay the longest wait before the first run
	 * @param period the time between two runs
	 * @param prune one run, answering how many things went
	 * @param report the info line of a run that pruned something, from its count
	 */
	public PeriodicPruning(Log log, String what, Duration firstDelay, Duration period, Supplier<Mono<Long>> prune,
			LongFunction<String> report) {
		this.log = log;
		this.what = what;
		this.firstDelay = (period.compareTo(firstDelay) < 0) ? period : firstDelay;
		this.period = period;
		this.prune = prune;
		this.report = report;
	}

	/**
	 * Deletes chunk after chunk until one deletes fewer than {@code chunk} rows, so that
	 * no statement holds many locks for long; answers how many rows went in all.
	 * @param chunk the most rows one statement deletes
	 * @param deleteChunk one statement, answering how many rows it deleted
	 * @return the number of rows deleted
	 */
	public static Mono<Long> inChunks(int chunk, Supplier<Mono<Long>> deleteChunk) {
		Mono<Long> one = Mono.defer(deleteChunk);
		return one.expand((deleted) -> (deleted < chunk) ? Mono.empty() : one).reduce(0L, Long::sum);
	}

	public void start() {
		this.schedule = Flux.interval(this.firstDelay, this.period)
			.onBackpressureDrop()
			.concatMap((tick) -> Mono.defer(this.prune).doOnNext((count) -> {
				if (count > 0) {
					this.log.info(this.report.apply(count));
				}
			}).onErrorResume((ex) -> {
				this.log.warn("Pruning " + this.what + " failed, trying again later: " + ex.getMessage());
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	public void stop() {
		Disposable current = this.schedule;
		if (current != null) {
			current.dispose();
			this.schedule = null;
		}
	}

	public boolean isRunning() {
		return this.schedule != null;
	}

}

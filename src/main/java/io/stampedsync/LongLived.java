package io.stampedsync;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Subscriptions that last the life of the process (sinks, change streams, intervals): one
 * item that fails is logged and passed over, and an error of the source itself is logged
 * and the source subscribed again after a back-off. Without this, Reactor ends a
 * subscription on the first error that reaches its subscriber, and the function it drives
 * stops, silently, until the next restart.
 */
public final class LongLived {

	private static final Log logger = LogFactory.getLog(LongLived.class);

	static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private LongLived() {
	}

	/**
	 * Runs {@code action} on each item of {@code source}, on the thread that emits it and
	 * with the source's demand unbounded (a best-effort sink drops nothing for it).
	 * @param <T> the item type
	 * @param what names the pipeline in the log
	 * @param source the long-lived source
	 * @param action what each item does
	 * @param item names an item in the log (its id, never its settings)
	 * @return the subscription, to dispose of at the end
	 */
	public static <T> Disposable forEach(String what, Flux<T> source, Consumer<? super T> action,
			Function<? super T, String> item) {
		return resubscribing(what, Flux.defer(() -> source)).subscribe((each) -> {
			try {
				action.accept(each);
			}
			catch (RuntimeException ex) {
				skipped(what, item, each, ex);
			}
		}, (ex) -> logger.error(what + " stopped", ex));
	}

	/**
	 * Runs {@code step} on each item of {@code source}, one item after the other: an item
	 * whose step fails (or throws before it is a publisher) is logged and passed over.
	 * @param <T> the item type
	 * @param what names the pipeline in the log
	 * @param source the long-lived source
	 * @param step what each item does
	 * @param item names an item in the log (its id, never its settings)
	 * @return the subscription, to dispose of at the end
	 */
	public static <T> Disposable concatEach(String what, Flux<T> source,
			Function<? super T, ? extends Publisher<?>> step, Function<? super T, String> item) {
		return resubscribing(what, Flux.defer(() -> source)
			.concatMap((each) -> Mono.defer(() -> Mono.when(step.apply(each))).onErrorResume((ex) -> {
				skipped(what, item, each, ex);
				return Mono.empty();
			}))).subscribe(null, (ex) -> logger.error(what + " stopped", ex));
	}

	/** Subscribes {@code pipeline} again after an error that ends it, with a back-off. */
	private static <T> Flux<T> resubscribing(String what, Flux<T> pipeline) {
		return pipeline.retryWhen(backoff(what));
	}

	/**
	 * The back-off of a long-lived pipeline: from 100 ms up to 10 s, starting over once
	 * the pipeline has run without an error again; each restart is logged.
	 * @param what names the pipeline in the log
	 * @return the spec, to narrow with a filter or add a count to
	 */
	public static RetryBackoffSpec backoff(String what) {
		return Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF)
			.maxBackoff(MAX_BACKOFF)
			.transientErrors(true)
			.doBeforeRetry((signal) -> logger.error(what + " failed; subscribing again", signal.failure()));
	}

	private static <T> void skipped(String what, Function<? super T, String> item, T each, Throwable ex) {
		String name;
		try {
			name = item.apply(each);
		}
		catch (RuntimeException unnamed) {
			name = "An item";
		}
		logger.error(name + " not handled by " + what + "; the next ones are", ex);
	}

}

package io.stampedsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Objects;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * What both simulators share: a Reactor Netty server on 127.0.0.1 and, in front of the
 * routes, faults, a strict sliding-window rate limit, latency and {@link CallStats}. Each
 * request goes: count the arrival → scripted/random fault → rate limit (429 with
 * Retry-After) → the simulated service → latency → answer. Nothing here blocks the event
 * loop: latency is a {@code Mono.delay}.
 *
 * @param <E> the simulator's endpoint kinds
 */
public abstract class Simulator<E extends Enum<E>> implements AutoCloseable {

	private static final String MALFORMED_JSON = "{\"id\": 1434";

	private final String name;

	private final SimulatorOptions options;

	private final CallStats<E> stats;

	private final FaultScript<E> faults = new FaultScript<>();

	private final SlidingWindow limiter;

	private volatile Integer limit;

	private volatile Duration latency = Duration.ZERO;

	private LoopResources loops;

	private DisposableServer server;

	Simulator(Class<E> endpoints, String name, SimulatorOptions options) {
		this.name = name;
		this.options = Objects.requireNonNull(options, "options");
		Duration window = Duration.ofSeconds(60);
		this.stats = new CallStats<>(endpoints, options.nanoTime(), window, options.callLogCapacity());
		this.limiter = new SlidingWindow(options.nanoTime(), window);
	}

	/** Binds the server on 127.0.0.1; a second call does nothing. */
	public synchronized Simulator<E> start() {
		if (this.server == null) {
			this.loops = LoopResources.create(this.name, this.options.eventLoopThreads(), true);
			this.server = HttpServer.create()
				.host("127.0.0.1")
				.port(this.options.port())
				.runOn(this.loops)
				.handle(this::serve)
				.bindNow();
		}
		return this;
	}

	/** Stops the server and drops open connections, hanging ones included. */
	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.disposeNow(Duration.ofSeconds(5));
			// Shutting the loop down closes the connections still open (no-response
			// faults).
			this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).subscribe();
			this.server = null;
		}
	}

	/** The bound port. */
	public synchronized int port() {
		if (this.server == null) {
			throw new IllegalStateException(this.name + " is not started");
		}
		return this.server.port();
	}

	/** {@code http://127.0.0.1:<port>}, without a trailing slash. */
	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	/** Delays every answer by {@code latency}, from now on. */
	public void latency(Duration latency) {
		this.latency = Objects.requireNonNull(latency, "latency");
	}

	public Duration latency() {
		return this.latency;
	}

	/**
	 * Accepts at most {@code limit} requests in any sliding window of {@code window},
	 * measured at arrival; also sets W of the window counts in {@link #stats()}.
	 */
	public void rateLimit(int limit, Duration window) {
		if (limit < 1 || window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("limit must be >= 1 and window positive");
		}
		this.limiter.window(window);
		this.stats.window(window);
		this.limit = limit;
	}

	/**
	 * Forgets the arrivals the rate limit has counted, as a fresh store would start: for
	 * a harness that plays several stores one after the other on one simulator (the
	 * window outlives {@link CallStats#reset()}, like a real store's).
	 */
	public void clearRateLimitWindow() {
		this.limiter.reset();
	}

	/** Turns the rate limit off; the window counts keep their W. */
	public void noRateLimit() {
		this.limit = null;
	}

	/** L of the rate limit, or {@code null} when off. */
	public Integer rateLimit() {
		return this.limit;
	}

	/** The faults to apply to coming requests. */
	public FaultScript<E> faults() {
		return this.faults;
	}

	/** What this simulator has seen. */
	public CallStats<E> stats() {
		return this.stats;
	}

	/** The endpoint kind of a request (an "other" kind when it matches none). */
	abstract E classify(HttpMethod method, String path);

	/** Serves an accepted request; runs on the event loop, so it must not block. */
	abstract Reply route(Call<E> call);

	private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		E endpoint = classify(request.method(), uri.path());
		long arrival = this.stats.arrive(endpoint);
		// A call leaves "in flight" when its answer starts out, not when the server has
		// finished flushing it: by then the client may already have sent its next call on
		// the
		// freed connection, and a counter that lags would see one call too many.
		AtomicBoolean gone = new AtomicBoolean();
		Runnable leave = () -> {
			if (gone.compareAndSet(false, true)) {
				this.stats.left();
			}
		};
		return answer(request, response, uri, endpoint, arrival, leave).doFinally((signal) -> leave.run());
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder uri,
			E endpoint, long arrival, Runnable leave) {
		// Fault and rate limit are decided at arrival; the body is read whole in every
		// case, so that each call is counted against what it is about (an email).
		Fault fault = this.faults.take(endpoint);
		long waitNanos = 0;
		if (fault != null) {
			this.stats.onFaulted();
		}
		else {
			Integer max = this.limit;
			waitNanos = (max != null) ? this.limiter.tryRecord(max) : 0;
			if (waitNanos > 0) {
				this.stats.onRateLimited();
			}
			else {
				this.stats.onAccepted();
			}
		}
		long wait = waitNanos;
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			Call<E> call = new Call<>(endpoint, request.method(), uri.path(), uri.parameters(),
					request.requestHeaders(), body);
			String key = key(call);
			if (key != null) {
				this.stats.calledAbout(key);
			}
			if (fault != null) {
				return inject(fault, call, key, request, response, arrival, leave);
			}
			if (wait > 0) {
				long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
				Reply tooMany = Reply.message(429, "Too many requests").withRetryAfter(Long.toString(seconds));
				return send(response, endpoint, arrival, key, tooMany, leave);
			}
			return send(response, endpoint, arrival, key, serve(call), leave);
		});
	}

	private Reply serve(Call<E> call) {
		try {
			return route(call);
		}
		catch (RuntimeException ex) {
			return Reply.message(500, "Simulator failure: " + ex.getMessage());
		}
	}

	private Mono<Void> inject(Fault fault, Call<E> call, String key, HttpServerRequest request,
			HttpServerResponse response, long arrival, Runnable leave) {
		E endpoint = call.endpoint();
		if (fault instanceof Fault.Status status) {
			Reply reply = Reply.message(status.status(), "Simulated fault").withRetryAfter(status.retryAfter());
			return send(response, endpoint, arrival, key, reply, leave);
		}
		if (fault instanceof Fault.MalformedJson) {
			return send(response, endpoint, arrival, key, new Reply(200, MALFORMED_JSON, null), leave);
		}
		boolean applied = fault instanceof Fault.ResetAfterApplied || fault instanceof Fault.NoResponseAfterApplied;
		if (applied) {
			serve(call);
			if (key != null) {
				this.stats.answerLost(key);
			}
		}
		if (fault instanceof Fault.NoResponse || fault instanceof Fault.NoResponseAfterApplied) {
			this.stats.answered(arrival, endpoint, CallRecord.NO_RESPONSE, key, null);
			// Cancelled when the client closes the connection, or when the loop shuts
			// down.
			return Mono.never();
		}
		return delay().then(Mono.defer(() -> {
			this.stats.answered(arrival, endpoint, CallRecord.RESET, key, null);
			// SO_LINGER 0 makes close() send RST instead of FIN: a real "connection
			// reset".
			request.withConnection((connection) -> {
				connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
				connection.channel().close();
			});
			return Mono.<Void>never();
		}));
	}

	/**
	 * What a call is about, for {@link CallStats#callsFor(String)}: {@code null} unless a
	 * simulator knows (the Stamped.io one answers the customer's email).
	 */
	String key(Call<E> call) {
		return null;
	}

	private Mono<Void> send(HttpServerResponse response, E endpoint, long arrival, String key, Reply reply,
			Runnable leave) {
		return delay().then(Mono.defer(() -> {
			this.stats.answered(arrival, endpoint, reply.status(), key, reply.retryAfter());
			leave.run();
			response.status(reply.status()).header(HttpHeaderNames.CONTENT_TYPE, "application/json");
			if (reply.retryAfter() != null) {
				response.header(HttpHeaderNames.RETRY_AFTER, reply.retryAfter());
			}
			return response.sendString(Mono.just(reply.body())).then();
		}));
	}

	private Mono<Void> delay() {
		Duration current = this.latency;
		return current.isZero() ? Mono.empty() : Mono.delay(current).then();
	}

}

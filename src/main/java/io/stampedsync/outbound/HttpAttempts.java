package io.stampedsync.outbound;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.context.ContextView;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The HTTP attempts of one direction and subscription: each sends one request, reads the
 * whole body as text, turns a non-2xx or a transport failure into the direction's
 * classified failure, and is told to the {@link CallObserver}; {@link #exchange} paces
 * every attempt and retries it ({@link TransientRetry}), each retry through the permit
 * again (PITFALLS 2.1).
 *
 * @param <Q> the request type of the direction
 */
public final class HttpAttempts<Q extends HttpAttempts.Request> {

	private final Direction direction;

	private final String subscriptionId;

	private final HttpSender sender;

	private final Classifier<Q> classifier;

	private final CallObserver observer;

	private final ConnectionSlots slots;

	/**
	 * Creates the attempts of one client.
	 * @param direction where the calls go
	 * @param subscriptionId the subscription they are made for
	 * @param http the client on the subscription's pool, with its credentials
	 * @param classifier turns failures into the direction's exceptions
	 * @param observer told of every attempt
	 * @param maxBodyBytes the largest response body read
	 * @param connections the connections of the client's pool (Concurrent Connections)
	 */
	public HttpAttempts(Direction direction, String subscriptionId, HttpClient http, Classifier<Q> classifier,
			CallObserver observer, int maxBodyBytes, int connections) {
		this.direction = direction;
		this.subscriptionId = subscriptionId;
		this.sender = new HttpSender(http, maxBodyBytes);
		this.classifier = classifier;
		this.observer = observer;
		this.slots = new ConnectionSlots(connections);
	}

	/**
	 * Attempts {@code request} until one succeeds or the retry gives up, each attempt
	 * through {@code permit} once a connection is free (see {@link #whenConnectionFree}),
	 * and decodes the successful reply. The retry is consulted only after a failed
	 * attempt: a call that succeeds at once builds nothing for retrying.
	 * @param <T> what the reply is decoded into
	 * @param request the request
	 * @param decode decodes a 2xx reply (may throw a classified failure)
	 * @param permit paces one attempt (the direction's rate limiter)
	 * @param retry which failures are tried again, and when
	 * @return the decoded reply
	 */
	public <T> Mono<T> exchange(Q request, Function<Reply, T> decode, Function<Mono<T>, Mono<T>> permit,
			TransientRetry retry) {
		return attempts(request, decode, permit, retry, 1);
	}

	private <T> Mono<T> attempts(Q request, Function<Reply, T> decode, Function<Mono<T>, Mono<T>> permit,
			TransientRetry retry, int attempt) {
		// Each attempt takes its own permit: the retry is outside the permit (PITFALLS
		// 2.1).
		return whenConnectionFree(attempt(request, attempt).map(decode).transform(permit))
			.onErrorResume((failure) -> retry.after(failure, attempt)
				.then(Mono.defer(() -> attempts(request, decode, permit, retry, attempt + 1))));
	}

	/**
	 * Runs {@code permitAndCall} once one of the pool's connections is free: a permit is
	 * then never held while the call waits in the pool's queue (see
	 * {@link ConnectionSlots}).
	 * @param <T> the result type
	 * @param permitAndCall takes the permit, then calls
	 * @return the same, gated
	 */
	public <T> Mono<T> whenConnectionFree(Mono<T> permitAndCall) {
		return this.slots.around(permitAndCall);
	}

	/**
	 * One HTTP call: a 2xx reply, or the classified failure. The attempt is told to the
	 * observer where it ends, without operators of its own.
	 */
	public Mono<Reply> attempt(Q request, int attempt) {
		return Mono.deferContextual((context) -> {
			long start = System.nanoTime();
			return this.sender.send(request)
				.onErrorMap((error) -> observed(request, attempt, this.classifier.forTransport(request, error), start,
						context))
				.<Reply>handle((reply, sink) -> {
					if (reply.successful()) {
						observe(request, attempt, reply.status(), null, start, context);
						sink.next(reply);
					}
					else {
						sink.error(
								observed(request, attempt, this.classifier.forStatus(request, reply), start, context));
					}
				});
		});
	}

	/** {@code failure}, once told to the observer. */
	private RuntimeException observed(Q request, int attempt, RuntimeException failure, long start,
			ContextView context) {
		observe(request, attempt, this.classifier.statusOf(failure), failure, start, context);
		return failure;
	}

	private void observe(Q request, int attempt, int status, Throwable error, long start, ContextView context) {
		OutboundCall call = new OutboundCall(this.direction, this.subscriptionId, request.method().name(),
				request.pathAndQuery(), status,
				(error instanceof OutboundCallException outbound) ? outbound.code() : null,
				Duration.ofNanos(System.nanoTime() - start), attempt);
		this.observer.onCall(call, context);
	}

	/** What an attempt sends. */
	public interface Request {

		/** The HTTP method. */
		HttpMethod method();

		/** The full URI (credentials travel in a header, never here). */
		URI uri();

		/** The JSON body as UTF-8 bytes, or {@code null}. */
		byte[] body();

		/** Path and query, for traces. */
		default String pathAndQuery() {
			URI uri = uri();
			return (uri.getRawQuery() != null) ? uri.getRawPath() + "?" + uri.getRawQuery() : uri.getRawPath();
		}

	}

	/**
	 * One response, its body read whole.
	 *
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body as text, empty when there was none
	 */
	public record Reply(int status, HttpHeaders headers, String body) {

		/** Whether the status is 2xx. */
		public boolean successful() {
			return this.status >= 200 && this.status < 300;
		}

	}

	/**
	 * Turns the failures of one direction into its exceptions.
	 *
	 * @param <Q> the request type of the direction
	 */
	public interface Classifier<Q> {

		/** The failure for a connection, timeout or protocol error. */
		RuntimeException forTransport(Q request, Throwable error);

		/** The failure for a non-2xx reply. */
		RuntimeException forStatus(Q request, Reply reply);

		/** The HTTP status a failure stands for, 0 when no response came. */
		default int statusOf(Throwable error) {
			return (error instanceof OutboundCallException outbound) ? outbound.httpStatus() : 0;
		}

	}

}

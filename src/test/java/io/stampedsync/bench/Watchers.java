package io.stampedsync.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.stampedsync.TestTokens;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * Many SSE clients on one batch's event stream, each noting when every {@code record}
 * event reached it. Each is a plain HTTP client (reactor-netty) reading the stream's
 * bytes with {@link SseScanner}: the load client must cost the machine little, as it
 * shares the cores with the gateway it measures, and take the same time to open each
 * stream, so that what the figures show is the gateway's.
 */
final class Watchers implements AutoCloseable {

	private final ConnectionProvider connections;

	private final HttpClient client;

	private final Disposable.Composite streams = Disposables.composite();

	private final List<Watcher> watchers = new ArrayList<>();

	Watchers(int port, int count) {
		this.connections = ConnectionProvider.builder("bench-watchers")
			.maxConnections(count + 10)
			.pendingAcquireMaxCount(-1)
			.build();
		this.client = HttpClient.create(this.connections)
			.baseUrl("http://127.0.0.1:" + port)
			.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, TestTokens.bearer(TestTokens.READER))
				.set(HttpHeaderNames.ACCEPT, "text/event-stream"));
		for (int i = 0; i < count; i++) {
			this.watchers.add(new Watcher());
		}
	}

	/**
	 * Every watcher asks for the batch's stream (replay from the start, then live).
	 */
	void watch(String batchId) {
		String uri = "/api/v1/batches/" + batchId + "/events";
		for (Watcher watcher : this.watchers) {
			watcher.requestedAt = System.currentTimeMillis();
			this.streams.add(this.client.get()
				.uri(uri)
				.response((response, body) -> watcher.accepts(response)
						? body.doOnNext(watcher::read).then(Mono.<Void>fromRunnable(watcher::ended))
						: body.aggregate()
							.asString()
							.defaultIfEmpty("")
							.flatMap((text) -> Mono.<Void>error(
									new IllegalStateException("stream refused: " + response.status() + " " + text))))
				.subscribe(null, watcher::failed));
		}
	}

	/**
	 * Lags in milliseconds from each record's finish to its arrival at a watcher, for the
	 * records that finished once that watcher's stream was open (its first event had
	 * come): a live event, not one of the replay.
	 */
	long[] lags(Map<Integer, Long> finishedAtMillis) {
		return lags(finishedAtMillis, (watcher) -> watcher.openedAt);
	}

	/**
	 * Lags as {@link #lags(Map)}, for the records that finished once the watcher had
	 * asked for its stream: the replay's events count too, with their wait for the stream
	 * to open.
	 */
	long[] lagsFromRequest(Map<Integer, Long> finishedAtMillis) {
		return lags(finishedAtMillis, (watcher) -> watcher.requestedAt);
	}

	private long[] lags(Map<Integer, Long> finishedAtMillis, ToLongFunction<Watcher> from) {
		List<long[]> all = new ArrayList<>();
		int total = 0;
		for (Watcher watcher : this.watchers) {
			synchronized (watcher) {
				long since = from.applyAsLong(watcher);
				long[] lags = new long[watcher.count];
				int n = 0;
				for (int i = 0; i < watcher.count; i++) {
					Long finished = finishedAtMillis.get(watcher.indexes[i]);
					if (finished != null && finished > since) {
						lags[n++] = watcher.receivedMillis[i] - finished;
					}
				}
				all.add(Arrays.copyOf(lags, n));
				total += n;
			}
		}
		long[] lags = new long[total];
		int at = 0;
		for (long[] part : all) {
			System.arraycopy(part, 0, lags, at, part.length);
			at += part.length;
		}
		Arrays.sort(lags);
		return lags;
	}

	/** Record events received by all watchers together. */
	long received() {
		long received = 0;
		for (Watcher watcher : this.watchers) {
			received += watcher.count;
		}
		return received;
	}

	/**
	 * Returns once {@code expected} record events have arrived in all, or when none has
	 * arrived for {@code quiet}.
	 */
	void awaitDeliveries(long expected, Duration quiet) throws InterruptedException {
		long last = -1;
		long lastMove = System.nanoTime();
		while (true) {
			long now = received();
			if (now >= expected) {
				return;
			}
			if (now != last) {
				last = now;
				lastMove = System.nanoTime();
			}
			else if (System.nanoTime() - lastMove > quiet.toNanos()) {
				return;
			}
			Thread.sleep(100);
		}
	}

	/**
	 * Milliseconds from {@link #watch} to the first event of the watcher whose first
	 * event came last: how long opening every stream took.
	 */
	long allOpenMillis() {
		long latest = 0;
		for (Watcher watcher : this.watchers) {
			if (watcher.openedAt > 0) {
				latest = Math.max(latest, watcher.openedAt - watcher.requestedAt);
			}
		}
		return latest;
	}

	/** Milliseconds from the first request to the last watcher's response headers. */
	long allRespondedMillis() {
		long first = this.watchers.stream().mapToLong((watcher) -> watcher.requestedAt).min().orElse(0);
		long last = this.watchers.stream().mapToLong((watcher) -> watcher.respondedAt).max().orElse(0);
		return (last > 0) ? last - first : -1;
	}

	/** Watchers whose stream failed, or ended before its batch's final status. */
	long failed() {
		return this.watchers.stream().filter((watcher) -> watcher.failure != null).count();
	}

	/** Why the first failed watcher failed; {@code null} if none did. */
	String firstFailure() {
		return this.watchers.stream()
			.map((watcher) -> watcher.failure)
			.filter((failure) -> failure != null)
			.findFirst()
			.orElse(null);
	}

	@Override
	public void close() {
		this.streams.dispose();
		this.connections.disposeLater().block(Duration.ofSeconds(10));
	}

	/**
	 * One stream's state; read and written on its connection's event loop, and read by
	 * the harness under its lock once the deliveries are over.
	 */
	private static final class Watcher implements SseScanner.Listener {

		private final SseScanner scanner = new SseScanner(this);

		private volatile long requestedAt;

		/** When its response's headers came. */
		private volatile long respondedAt;

		/** When its first event of any kind arrived: its stream was then open. */
		private volatile long openedAt;

		private volatile String failure;

		/** Whether the final status came (the stream may end after it). */
		private boolean finalStatus;

		/** When the bytes being read arrived: the arrival of every event they end. */
		private long now;

		private int[] indexes = new int[1024];

		private long[] receivedMillis = new long[1024];

		/** Record events received. */
		private volatile int count;

		boolean accepts(HttpClientResponse response) {
			this.respondedAt = System.currentTimeMillis();
			String type = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
			return response.status().code() == 200 && type != null && type.startsWith("text/event-stream");
		}

		synchronized void read(ByteBuf bytes) {
			this.now = System.currentTimeMillis();
			this.scanner.read(bytes);
		}

		@Override
		public void event(int kind, int index) {
			if (this.openedAt == 0) {
				this.openedAt = this.now;
			}
			if (kind == SseScanner.FINAL_STATUS) {
				this.finalStatus = true;
			}
			if (kind != SseScanner.RECORD || index < 0) {
				return;
			}
			int count = this.count;
			if (count == this.indexes.length) {
				this.indexes = Arrays.copyOf(this.indexes, count * 2);
				this.receivedMillis = Arrays.copyOf(this.receivedMillis, count * 2);
			}
			this.indexes[count] = index;
			this.receivedMillis[count] = this.now;
			this.count = count + 1;
		}

		synchronized void ended() {
			if (!this.finalStatus) {
				failed(new IllegalStateException("stream ended before its final status"));
			}
		}

		void failed(Throwable error) {
			if (this.failure == null) {
				this.failure = error.toString();
			}
		}

	}

}

package io.stampedsync.bench;

import java.util.Arrays;
import io.stampedsync.TestTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Many SSE clients on one batch's event stream, each noting when every {@code record}
 * event reached it.
 */
final class Watchers implements AutoCloseable {

	private static final Pattern INDEX = Pattern.compile("\"index\":(\\d+)");

	private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {
	};

	private final ConnectionProvider connections;

	private final WebClient client;

	private final Disposable.Composite streams = Disposables.composite();

	private final List<Watcher> watchers = new ArrayList<>();

	Watchers(int port, int count) {
		this.connections = ConnectionProvider.builder("bench-watchers")
			.maxConnections(count + 10)
			.pendingAcquireMaxCount(-1)
			.build();
		this.client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultHeader("Authorization", TestTokens.bearer(TestTokens.READER))
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(this.connections)))
			.build();
		for (int i = 0; i < count; i++) {
			this.watchers.add(new Watcher());
		}
	}

	/**
	 * Every watcher subscribes to the batch's stream (replay from the start, then live).
	 */
	void watch(String batchId) {
		for (Watcher watcher : this.watchers) {
			watcher.connectedAt = Instant.now();
			this.streams.add(this.client.get()
				.uri("/api/v1/batches/{id}/events", batchId)
				.retrieve()
				.bodyToFlux(EVENT)
				.subscribe(watcher::onEvent, (error) -> watcher.failed = true));
		}
	}

	/**
	 * Lags in milliseconds from each record's finish to its arrival at a watcher, for the
	 * records that finished after the watcher connected.
	 */
	long[] lags(Map<Integer, Instant> finishedAt) {
		List<Long> lags = new ArrayList<>();
		for (Watcher watcher : this.watchers) {
			synchronized (watcher) {
				for (int i = 0; i < watcher.count; i++) {
					Instant finished = finishedAt.get(watcher.indexes[i]);
					if (finished != null && finished.isAfter(watcher.connectedAt)) {
						lags.add(watcher.receivedMillis[i] - finished.toEpochMilli());
					}
				}
			}
		}
		return lags.stream().mapToLong(Long::longValue).sorted().toArray();
	}

	/** Record events received by all watchers together. */
	long received() {
		long received = 0;
		for (Watcher watcher : this.watchers) {
			synchronized (watcher) {
				received += watcher.count;
			}
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
			synchronized (watcher) {
				if (watcher.firstEventAt != null) {
					latest = Math.max(latest, Duration.between(watcher.connectedAt, watcher.firstEventAt).toMillis());
				}
			}
		}
		return latest;
	}

	/** Watchers whose stream failed. */
	long failed() {
		return this.watchers.stream().filter((watcher) -> watcher.failed).count();
	}

	@Override
	public void close() {
		this.streams.dispose();
		this.connections.disposeLater().block(Duration.ofSeconds(10));
	}

	private static final class Watcher {

		private volatile Instant connectedAt;

		private volatile boolean failed;

		/** When its first event of any kind arrived: its stream was then open. */
		private Instant firstEventAt;

		private int[] indexes = new int[1024];

		private long[] receivedMillis = new long[1024];

		private int count;

		synchronized void onEvent(ServerSentEvent<String> event) {
			if (this.firstEventAt == null) {
				this.firstEventAt = Instant.now();
			}
			if (!"record".equals(event.event()) || event.data() == null) {
				return;
			}
			Matcher index = INDEX.matcher(event.data());
			if (!index.find()) {
				return;
			}
			if (this.count == this.indexes.length) {
				this.indexes = Arrays.copyOf(this.indexes, this.count * 2);
				this.receivedMillis = Arrays.copyOf(this.receivedMillis, this.count * 2);
			}
			this.indexes[this.count] = Integer.parseInt(index.group(1));
			this.receivedMillis[this.count] = System.currentTimeMillis();
			this.count++;
		}

	}

}

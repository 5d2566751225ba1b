package io.stampedsync.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.stampedsync.TestSubscriptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The stub's ceiling: customer creates straight over HTTP on a fixed number of
 * connections, with no limiter and no journal.
 */
final class RawClient {

	private RawClient() {
	}

	/**
	 * Creates {@code customers} customers; answers the calls that got a 200 and the
	 * seconds taken.
	 */
	static Result run(String baseUrl, int customers, int connections) {
		ConnectionProvider pool = ConnectionProvider.builder("bench-raw")
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.build();
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((TestSubscriptions.PUBLIC_KEY + ":" + TestSubscriptions.PRIVATE_KEY)
				.getBytes(StandardCharsets.UTF_8));
		HttpClient client = HttpClient.create(pool)
			.baseUrl(baseUrl)
			.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, basic)
				.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
		String path = "/api/v2/" + TestSubscriptions.STORE_HASH + "/dashboard/customers/add";
		AtomicLong ok = new AtomicLong();
		long start = System.nanoTime();
		try {
			Flux.range(0, customers)
				.flatMap((i) -> client.post()
					.uri(path)
					.send(ByteBufFlux.fromString(Mono.just(body(i))))
					.responseSingle((response,
							content) -> content.asString().defaultIfEmpty("").thenReturn(response.status().code())),
						connections)
				.doOnNext((status) -> {
					if (status == 200) {
						ok.incrementAndGet();
					}
				})
				.blockLast(Duration.ofMinutes(10));
			return new Result(ok.get(), (System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	/** What the Camel peer sends for one customer. */
	private static String body(int i) {
		return "{\"email\":\"raw-" + i + "@example.com\",\"firstName\":\"First\",\"lastName\":\"Last" + i
				+ "\",\"customCustomerId\":\"C" + i + "\"}";
	}

	record Result(long ok, double seconds) {

		double perSecond() {
			return this.ok / this.seconds;
		}

	}

}

package io.stampedsync;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The one rule of the tests' HTTP clients: every answer is read to its end before the
 * test sees it, and the test gets a copy in memory. {@link GatewayClients} installs it on
 * every {@code WebTestClient} and {@code WebClient} it builds, the autowired
 * {@code WebTestClient} included, so a test that checks only the status
 * ({@code exchange().expectStatus().isOk()}) cannot leave an answer unread.
 * <p>
 * Why an unread answer hangs a later request: Reactor Netty hands the response over as
 * soon as its headers arrive and reads the body only on demand. With no subscriber, a
 * body that does not arrive in the same read as the headers is never read to its last
 * packet, so the connection is never given back to the pool. The gateway's pool
 * ({@code ReactorResourceFactory}: at most 500 connections per host, a pending acquire
 * waits 45 s) then runs dry: a loop of unread GETs of a page of a few kilobytes held
 * exactly 500 open connections when its next request hung, after about 1,100 requests (a
 * third of the answers missed the first read). Read to the end, the same loop uses one or
 * two connections.
 * <p>
 * Event streams ({@code text/event-stream}, NDJSON and JSON streams) never end by
 * themselves: they are left alone, and a test that opens one reads what it needs and
 * cancels (which closes the connection).
 */
public final class AnswersReadToTheEnd {

	/** The filter that reads every answer that has an end. */
	public static final ExchangeFilterFunction FILTER = AnswersReadToTheEnd::exchange;

	private static final List<MediaType> STREAMS = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON,
			MediaType.parseMediaType("application/stream+json"));

	private AnswersReadToTheEnd() {
	}

	private static Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next) {
		return next.exchange(request).flatMap((response) -> isStream(response) ? Mono.just(response) : read(response));
	}

	private static boolean isStream(ClientResponse response) {
		return response.headers()
			.contentType()
			.map((type) -> STREAMS.stream().anyMatch((stream) -> stream.isCompatibleWith(type)))
			.orElse(false);
	}

	private static Mono<ClientResponse> read(ClientResponse response) {
		return DataBufferUtils.join(response.bodyToFlux(DataBuffer.class)).map((joined) -> {
			byte[] bytes = new byte[joined.readableByteCount()];
			joined.read(bytes);
			DataBufferUtils.release(joined);
			return bytes;
		})
			.defaultIfEmpty(new byte[0])
			// The original body is read: the copy replaces it without subscribing again.
			.map((bytes) -> response.mutate().body((read) -> copy(bytes)).build());
	}

	private static Flux<DataBuffer> copy(byte[] bytes) {
		return (bytes.length == 0) ? Flux.empty()
				: Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes)));
	}

}

package io.stampedsync.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.stampedsync.outbound.HttpAttempts.Reply;
import io.stampedsync.outbound.HttpAttempts.Request;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.support.Netty4HeadersAdapter;

/**
 * Sends one request on the HttpClient of a subscription's pool (its credentials and
 * {@code Accept} already among the client's headers) and reads the answer whole, straight
 * on reactor-netty: WebClient built a request spec, copied its default headers, searched
 * its message writers and wrapped every response and buffer on every call, which was most
 * of the outbound call's CPU on the event loops.
 */
final class HttpSender {

	private final HttpClient http;

	private final int maxBodyBytes;

	/**
	 * @param http the client on the subscription's pool, with its timeouts and headers
	 * @param maxBodyBytes the largest response body read
	 */
	HttpSender(HttpClient http, int maxBodyBytes) {
		this.http = http;
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * The answer to {@code request}, its body read whole as UTF-8 text; fails with the
	 * transport's exception (a body over the limit: {@link DataBufferLimitException}).
	 */
	Mono<Reply> send(Request request) {
		HttpClient.RequestSender sender = this.http.request(HttpMethod.valueOf(request.method().name()))
			.uri(request.uri());
		byte[] body = request.body();
		HttpClient.ResponseReceiver<?> receiver = (body != null) ? sender.send((out, outbound) -> {
			out.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
			return outbound.sendByteArray(Mono.just(body));
		}) : sender;
		return receiver
			.response((response, content) -> content.reduceWith(() -> new BodyBytes(this.maxBodyBytes), BodyBytes::add)
				.map((bytes) -> reply(response, bytes)))
			.next();
	}

	private static Reply reply(HttpClientResponse response, BodyBytes body) {
		return new Reply(response.status().code(),
				new HttpHeaders(new Netty4HeadersAdapter(response.responseHeaders())), body.text());
	}

	/**
	 * The bytes of a body as they arrive, up to a limit. reactor-netty releases each
	 * buffer once it has been handed on, so the bytes are copied out of it; the text is
	 * decoded once at the end (a character may span two buffers). Read as bytes rather
	 * than through a String decoder: Spring's logs what it decoded at TRACE, and a remote
	 * may echo a credential in an error body.
	 */
	private static final class BodyBytes {

		private static final byte[] NONE = new byte[0];

		private final int max;

		private byte[] bytes = NONE;

		private int length;

		BodyBytes(int max) {
			this.max = max;
		}

		BodyBytes add(ByteBuf buffer) {
			int more = buffer.readableBytes();
			if (more > this.max - this.length) {
				throw new DataBufferLimitException("Exceeded limit on max bytes to buffer : " + this.max);
			}
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes,
						Math.min(this.max, Math.max(this.length + more, 2 * this.bytes.length)));
			}
			buffer.getBytes(buffer.readerIndex(), this.bytes, this.length, more);
			this.length += more;
			return this;
		}

		String text() {
			return new String(this.bytes, 0, this.length, StandardCharsets.UTF_8);
		}

	}

}

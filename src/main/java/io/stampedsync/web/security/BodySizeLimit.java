package io.stampedsync.web.security;

import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Caps request bodies of the API: a batch body at {@code max-batch-body-bytes}, every
 * other body at {@code max-json-body-bytes}. A declared {@code Content-Length} over the
 * cap is refused at once; a chunked body is counted as it streams and fails with 413 when
 * it crosses the cap (the batch intake then discards what it stored of it).
 */
final class BodySizeLimit implements WebFilter {

	private static final PathPattern BATCHES = PathPatternParser.defaultInstance
		.parse("/api/v1/subscriptions/{id}/batches");

	private final ProblemResponses problems;

	private final DataSize maxBatchBody;

	private final DataSize maxJsonBody;

	BodySizeLimit(ProblemResponses problems, DataSize maxBatchBody, DataSize maxJsonBody) {
		this.problems = problems;
		this.maxBatchBody = maxBatchBody;
		this.maxJsonBody = maxJsonBody;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		boolean batch = request.getMethod() == HttpMethod.POST
				&& BATCHES.matches(request.getPath().pathWithinApplication());
		DataSize cap = batch ? this.maxBatchBody : this.maxJsonBody;
		String detail = "The request body exceeds " + cap.toBytes() + " bytes ("
				+ (batch ? "stamped-sync.security.max-batch-body-bytes" : "stamped-sync.security.max-json-body-bytes")
				+ ")";
		if (request.getHeaders().getContentLength() > cap.toBytes()) {
			return this.problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, detail);
		}
		ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {

			@Override
			public Flux<DataBuffer> getBody() {
				return counted(super.getBody(), cap.toBytes(), detail);
			}

		};
		return chain.filter(exchange.mutate().request(counted).build());
	}

	static Flux<DataBuffer> counted(Flux<DataBuffer> body, long cap, String detail) {
		return Flux.defer(() -> {
			AtomicLong seen = new AtomicLong();
			return body.handle((buffer, sink) -> {
				if (seen.addAndGet(buffer.readableByteCount()) > cap) {
					DataBufferUtils.release(buffer);
					sink.error(ApiProblemException.of(HttpStatus.CONTENT_TOO_LARGE, detail));
				}
				else {
					sink.next(buffer);
				}
			});
		});
	}

}

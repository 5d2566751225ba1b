package io.stampedsync.web;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Requests that Reactor Netty refuses before any of our code sees them (a request line
 * over the limit → 414, headers over the limit → 431, an unreadable request such as
 * {@code Content-Length: -1} → 400) get the same {@code application/problem+json} as
 * every other error, instead of an empty body. Netty answers them with a bare full
 * response and closes the connection; this handler, between the codec and Reactor Netty's
 * own handlers, fills in the body on the way out.
 */
@Component
class NettyRefusals implements NettyServerCustomizer {

	private static final ChannelHandler PROBLEM_BODIES = new ProblemBodies();

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, "problem-json-refusals", PROBLEM_BODIES);
			}
		});
	}

	/** Puts a problem body into the bare refusals Netty writes. */
	@ChannelHandler.Sharable
	static final class ProblemBodies extends ChannelOutboundHandlerAdapter {

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof FullHttpResponse response && isBareRefusal(response)) {
				int status = response.status().code();
				byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + response.status().reasonPhrase()
						+ "\",\"status\":" + status + ",\"detail\":\"" + detail(status) + "\"}")
					.getBytes(StandardCharsets.UTF_8);
				FullHttpResponse problem = new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
						Unpooled.wrappedBuffer(body), response.headers().copy(), response.trailingHeaders().copy());
				problem.headers()
					.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
					.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
				response.release();
				ctx.write(problem, promise);
				return;
			}
			ctx.write(msg, promise);
		}

		/**
		 * A refusal of the codec: an error status, no body, no content type, and the
		 * connection closing (our own responses never look like that).
		 */
		private static boolean isBareRefusal(FullHttpResponse response) {
			int status = response.status().code();
			return (status == 400 || status == 413 || status == 414 || status == 431)
					&& response.content().readableBytes() == 0
					&& !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
					&& response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
		}

		private static String detail(int status) {
			return switch (status) {
				case 414 -> "The request line is too long";
				case 431 -> "The request headers are too large";
				case 413 -> "The request is too large";
				default -> "The request cannot be read (malformed request line, headers or length)";
			};
		}

	}

}

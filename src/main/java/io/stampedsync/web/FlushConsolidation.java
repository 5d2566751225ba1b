package io.stampedsync.web;

import io.netty.handler.flush.FlushConsolidationHandler;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lets Netty merge the flushes of one event-loop turn into one write. An SSE stream
 * flushes after every event, so hundreds of watchers of a busy batch would otherwise cost
 * one system call per event and watcher; consolidated, a turn that writes to a channel
 * several times flushes it once, and a lone write is still flushed at the end of the turn
 * (no added latency worth the name).
 */
@Component
class FlushConsolidation implements NettyServerCustomizer {

	/** Flushes merged at most before one really goes out, while a read is in progress. */
	private static final int MAX_MERGED_FLUSHES = 256;

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> channel.pipeline()
			.addFirst("flush-consolidation", new FlushConsolidationHandler(MAX_MERGED_FLUSHES, true)));
	}

}

package io.stampedsync.web;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.junit.jupiter.api.Test;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

class FlushConsolidationTests {

	@Test
	void everyServerChannelGetsTheHandlerFirst() {
		HttpServer server = new FlushConsolidation().apply(HttpServer.create());
		EmbeddedChannel channel = new EmbeddedChannel();
		server.configuration().doOnChannelInit().onChannelInit(ConnectionObserver.emptyListener(), channel, null);
		assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class);
		channel.finishAndReleaseAll();
	}

}

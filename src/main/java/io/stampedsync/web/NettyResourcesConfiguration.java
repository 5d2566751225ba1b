package io.stampedsync.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.autoconfigure.ReactorNettyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Event loops and connection pool owned by this application context. Boot's default
 * shares reactor-netty's global resources, and stopping a context then disposes them
 * under every other context of the JVM: their servers stop accepting and their calls hang
 * (a test suite's cached contexts, an application that embeds the gateway). One process
 * runs one context in production, so owning them costs nothing there.
 */
@Configuration(proxyBeanMethods = false)
class NettyResourcesConfiguration {

	@Bean
	ReactorResourceFactory reactorResourceFactory(ObjectProvider<ReactorNettyProperties> properties) {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		// Bound only where Boot's Reactor Netty configuration is imported (not in a
		// context started without a web server).
		properties.ifAvailable((netty) -> {
			if (netty.getShutdownQuietPeriod() != null) {
				factory.setShutdownQuietPeriod(netty.getShutdownQuietPeriod());
			}
		});
		return factory;
	}

}

package io.stampedsync.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The management server (its own port, in a child context) on the application context's
 * event loops ({@link NettyResourcesConfiguration}). Boot builds the child's server
 * factory without a resource factory, so it would run on reactor-netty's global loops:
 * shared with every other gateway of the JVM and with any client built with defaults, and
 * gone for all of them when anything disposes those global resources. Registered for the
 * child context in {@code META-INF/spring/…ManagementContextConfiguration.imports}; the
 * component scan also finds it in the application context, where it sets what Boot has
 * set already.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementServerResources {

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementServerOnTheContextsLoops(
			ReactorResourceFactory resources) {
		return (factory) -> factory.setResourceFactory(resources);
	}

}

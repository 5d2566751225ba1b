package io.stampedsync.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code HEAD /} answers like {@code GET /} without the body: the framework's welcome
 * page serves {@code GET} only, and load balancers and uptime checks probe with
 * {@code HEAD}.
 */
@Configuration(proxyBeanMethods = false)
class RootHead {

	@Bean
	RouterFunction<ServerResponse> headOfTheDashboard() {
		ClassPathResource index = new ClassPathResource("static/index.html");
		return RouterFunctions.route(RequestPredicates.HEAD("/"),
				(request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(index));
	}

}

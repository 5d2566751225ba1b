package io.stampedsync.web.security;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.WebFilterChainProxy;

/**
 * Requests the security firewall refuses before any route (encoded control characters,
 * {@code ..} in a path) get the same {@code application/problem+json} as every other
 * error of the API, instead of an empty 400.
 */
@Configuration(proxyBeanMethods = false)
class FirewallRejections {

	private static final byte[] PROBLEM = ("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
			+ "\"detail\":\"The request path or a header is not acceptable\"}")
		.getBytes(StandardCharsets.UTF_8);

	@Bean
	static BeanPostProcessor problemForFirewallRejections() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof WebFilterChainProxy proxy) {
					proxy.setExchangeRejectedHandler((exchange, rejected) -> {
						ServerHttpResponse response = exchange.getResponse();
						response.setStatusCode(HttpStatus.BAD_REQUEST);
						response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
						return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(PROBLEM)));
					});
				}
				return bean;
			}
		};
	}

}

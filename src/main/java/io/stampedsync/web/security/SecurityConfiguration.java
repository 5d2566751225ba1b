package io.stampedsync.web.security;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the inbound API's security that hold state: tokens, sessions, failed
 * logins, open event streams. The rules themselves are {@link ApiSecurityChains}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	ApiTokens apiTokens(ApiSecurityProperties properties) {
		return new ApiTokens(properties.tokens());
	}

	@Bean
	SessionStore sessionStore(Clock clock, ApiSecurityProperties properties) {
		return new SessionStore(clock, properties.sessionTtl());
	}

	@Bean
	LoginThrottle loginThrottle(Clock clock, ApiSecurityProperties properties) {
		return new LoginThrottle(clock, properties.loginFailuresPerMinute());
	}

	@Bean
	ClientAddress clientAddress(ApiSecurityProperties properties) {
		return new ClientAddress(properties.trustedProxies());
	}

	@Bean
	SseConnectionLimit sseConnectionLimit(JsonMapper json, ApiSecurityProperties properties) {
		return new SseConnectionLimit(new ProblemResponses(json), properties.maxSsePerToken());
	}

}

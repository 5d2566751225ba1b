package io.stampedsync.web.security;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The inbound API's security rules: every {@code /api/v1} call needs a Bearer token or a
 * session cookie with the role its route asks for; everything else (dashboard files,
 * OpenAPI docs, the actuator on the management port) is open here and protected, where
 * needed, by the network. Only in a reactive web application: a context started without a
 * server has nothing to protect.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ApiSecurityChains {

	static final String API = "/api/v1/**";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ApiTokens tokens, SessionStore sessions,
			SseConnectionLimit sseLimit, LoginThrottle throttle, ClientAddress addresses, BatchOwners owners,
			ApiSecurityProperties properties, JsonMapper json) {
		ProblemResponses problems = new ProblemResponses(json);
		return stateless(http).securityMatcher(ServerWebExchangeMatchers.pathMatchers(API))
			.securityContextRepository(new ApiCredentials(tokens, sessions))
			.authorizeExchange((routes) -> routes
				// The hooks controller checks the subscription's webhook key itself.
				.pathMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/hooks")
				.permitAll()
				.pathMatchers(HttpMethod.POST, "/api/v1/session")
				.permitAll()
				.pathMatchers(HttpMethod.DELETE, "/api/v1/session")
				.permitAll()
				.pathMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/batches", "/api/v1/subscriptions/*/manual-sync",
						"/api/v1/batches/*/retry")
				.hasRole(ApiRole.WRITER.name())
				.pathMatchers(HttpMethod.DELETE, "/api/v1/batches/*")
				.hasRole(ApiRole.WRITER.name())
				.pathMatchers(HttpMethod.GET, API)
				.hasRole(ApiRole.READER.name())
				// Settings, and anything not listed above, need admin.
				.anyExchange()
				.hasRole(ApiRole.ADMIN.name()))
			.exceptionHandling((errors) -> errors.authenticationEntryPoint((exchange, ex) -> {
				exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				return problems.write(exchange, HttpStatus.UNAUTHORIZED,
						"Send Authorization: Bearer <token> (or log in at POST /api/v1/session)");
			})
				.accessDeniedHandler((exchange, ex) -> problems.write(exchange, HttpStatus.FORBIDDEN,
						"The token's role does not allow this call")))
			// Before anything compares a credential: a throttled address learns nothing.
			// Not a bean: a WebFilter bean would also run outside this chain, counting
			// twice.
			.addFilterAt(new FailedAuthentications(throttle, addresses, problems), SecurityWebFiltersOrder.FIRST)
			.addFilterAfter(new ScopeGuard(owners, problems), SecurityWebFiltersOrder.AUTHORIZATION)
			.addFilterAfter(new CsrfHeaderGuard(problems), SecurityWebFiltersOrder.AUTHORIZATION)
			.addFilterAfter(sseLimit::filter, SecurityWebFiltersOrder.AUTHORIZATION)
			.addFilterAfter(new BodySizeLimit(problems, properties.maxBatchBodyBytes(), properties.maxJsonBodyBytes()),
					SecurityWebFiltersOrder.AUTHORIZATION)
			.build();
	}

	/**
	 * The dashboard's policy: its own files only, no inline script or style, no plugins,
	 * never framed. The page keeps to it (DashboardBrowserTests and
	 * ContentSecurityPolicyBrowserTests watch the console for violations).
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
			+ "base-uri 'self'; form-action 'self'";

	/**
	 * The OpenAPI UI and document (served only when enabled), whose page SpringDoc owns.
	 */
	static final String[] API_DOCS = { "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs/**", "/v3/api-docs" };

	/**
	 * The OpenAPI UI: open, Spring Security's default headers, but not the dashboard's
	 * policy, which SpringDoc's page was not written for.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE - 1)
	SecurityWebFilterChain apiDocsPaths(ServerHttpSecurity http) {
		return stateless(http).securityMatcher(ServerWebExchangeMatchers.pathMatchers(API_DOCS))
			.authorizeExchange((routes) -> routes.anyExchange().permitAll())
			.build();
	}

	/**
	 * Everything else outside the API: no authentication, but Spring Security's response
	 * headers (nosniff, frame options, no-cache) and the Content-Security-Policy for the
	 * dashboard.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityWebFilterChain openPaths(ServerHttpSecurity http) {
		return stateless(http)
			.headers((headers) -> headers
				.contentSecurityPolicy((policy) -> policy.policyDirectives(CONTENT_SECURITY_POLICY)))
			.authorizeExchange((routes) -> routes.anyExchange().permitAll())
			.build();
	}

	/** No HTTP sessions, no saved requests, no login pages: nothing but our own rules. */
	private static ServerHttpSecurity stateless(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
	}

}

package io.stampedsync.web.security;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;

import io.stampedsync.web.ApiProblemException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Browser sessions for the dashboard, whose {@code EventSource} cannot send an
 * Authorization header: a token is exchanged once for an HttpOnly, SameSite=Strict cookie
 * holding an opaque session id. Failed logins count against the client address like every
 * failed authentication ({@link FailedAuthentications}).
 */
@RestController
@RequestMapping("/api/v1/session")
class SessionController {

	private static final Log log = LogFactory.getLog(SessionController.class);

	private final ApiTokens tokens;

	private final SessionStore sessions;

	private final ClientAddress addresses;

	SessionController(ApiTokens tokens, SessionStore sessions, ClientAddress addresses) {
		this.tokens = tokens;
		this.sessions = sessions;
		this.addresses = addresses;
	}

	/** The login body: one API token. */
	record Login(String token) {

		@Override
		public String toString() {
			return "Login[token=…]";
		}

	}

	/** Who a session (or a Bearer token) stands for. */
	record Caller(String name, String role) {
	}

	@PostMapping
	ResponseEntity<Void> login(@RequestBody Login login, ServerWebExchange exchange) {
		if (login.token() == null || login.token().isBlank()) {
			throw ApiProblemException.badRequest("The body must be {\"token\": \"<API token>\"}");
		}
		ApiPrincipal principal = this.tokens.resolve(login.token().trim()).orElse(null);
		if (principal == null) {
			log.info("Refused a login with an unknown token from " + this.addresses.of(exchange.getRequest()));
			throw ApiProblemException.of(HttpStatus.UNAUTHORIZED, "Unknown token");
		}
		String id = this.sessions.open(principal);
		return ResponseEntity.noContent()
			.header(HttpHeaders.SET_COOKIE, cookie(exchange, id, this.sessions.ttl()).toString())
			.build();
	}

	@GetMapping
	Mono<Caller> current(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.cast(Principal.class)
			.filter(ApiAuthentication.class::isInstance)
			.map((authentication) -> ((ApiAuthentication) authentication).getPrincipal())
			.map((principal) -> new Caller(principal.name(), principal.role().tag()))
			.switchIfEmpty(Mono.error(() -> ApiProblemException.of(HttpStatus.UNAUTHORIZED, "No session")));
	}

	@DeleteMapping
	ResponseEntity<Void> logout(ServerWebExchange exchange) {
		this.sessions.close(ApiCredentials.sessionId(exchange));
		return ResponseEntity.noContent()
			.header(HttpHeaders.SET_COOKIE, cookie(exchange, "", Duration.ZERO).toString())
			.build();
	}

	/**
	 * The session cookie: {@code Secure} unless the login came over plain http from
	 * loopback (a local sandbox), where a Secure cookie would never be sent back.
	 */
	static ResponseCookie cookie(ServerWebExchange exchange, String value, Duration maxAge) {
		ServerHttpRequest request = exchange.getRequest();
		InetSocketAddress remote = request.getRemoteAddress();
		boolean plainLoopback = "http".equalsIgnoreCase(request.getURI().getScheme()) && remote != null
				&& remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
		return ResponseCookie.from(ApiCredentials.SESSION_COOKIE, value)
			.httpOnly(true)
			.sameSite("Strict")
			// The API only: never sent to the dashboard's files or the management port.
			.path("/api/v1")
			.secure(!plainLoopback)
			.maxAge(maxAge)
			.build();
	}

}

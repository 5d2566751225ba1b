package io.stampedsync.web.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions in memory: an opaque random id (the cookie's value) maps to the
 * token's name and role until it expires. The token itself is never stored or sent back.
 * Sessions are lost on restart; the dashboard then asks for the token again.
 */
final class SessionStore {

	/** 256 random bits, base64url: not guessable, safe in a cookie. */
	private static final int ID_BYTES = 32;

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	private final Duration ttl;

	SessionStore(Clock clock, Duration ttl) {
		this.clock = clock;
		this.ttl = ttl;
	}

	/** Opens a session for {@code principal}; answers its id. */
	String open(ApiPrincipal principal) {
		Instant now = this.clock.instant();
		// Expired sessions are dropped here, so the map is bounded by the logins of one
		// TTL.
		this.sessions.values().removeIf((session) -> session.expired(now));
		byte[] bytes = new byte[ID_BYTES];
		this.random.nextBytes(bytes);
		String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.sessions.put(id, new Session(principal.byCookie(), now.plus(this.ttl)));
		return id;
	}

	/** The caller of a live session, or empty for an unknown or expired id. */
	Optional<ApiPrincipal> find(String id) {
		if (id == null || id.isEmpty()) {
			return Optional.empty();
		}
		Session session = this.sessions.get(id);
		if (session == null) {
			return Optional.empty();
		}
		if (session.expired(this.clock.instant())) {
			this.sessions.remove(id, session);
			return Optional.empty();
		}
		return Optional.of(session.principal());
	}

	/** Ends a session; unknown ids are ignored. */
	void close(String id) {
		if (id != null) {
			this.sessions.remove(id);
		}
	}

	Duration ttl() {
		return this.ttl;
	}

	private record Session(ApiPrincipal principal, Instant expiresAt) {

		boolean expired(Instant now) {
			return !now.isBefore(this.expiresAt);
		}

	}

}

package io.stampedsync.web.security;

import java.time.ZoneId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionStoreTests {

	final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	final SessionStore sessions = new SessionStore(this.clock, Duration.ofHours(8));

	final ApiPrincipal reader = new ApiPrincipal("grafana", ApiRole.READER, false);

	@Test
	void sessionStandsForTheTokensNameAndRoleByCookie() {
		String id = this.sessions.open(this.reader);
		assertThat(this.sessions.find(id)).contains(new ApiPrincipal("grafana", ApiRole.READER, true));
		assertThat(this.sessions.find(id + "x")).isEmpty();
		assertThat(this.sessions.find(null)).isEmpty();
	}

	@Test
	void idsAreRandomAndLong() {
		String first = this.sessions.open(this.reader);
		String second = this.sessions.open(this.reader);
		assertThat(first).isNotEqualTo(second).hasSize(43).matches("[A-Za-z0-9_-]+");
	}

	@Test
	void sessionExpiresAfterItsTtl() {
		String id = this.sessions.open(this.reader);
		this.clock.advance(Duration.ofHours(8).minusSeconds(1));
		assertThat(this.sessions.find(id)).isPresent();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.sessions.find(id)).isEmpty();
	}

	@Test
	void closedSessionIsGone() {
		String id = this.sessions.open(this.reader);
		this.sessions.close(id);
		this.sessions.close("unknown");
		assertThat(this.sessions.find(id)).isEmpty();
	}

	/** A clock a test moves by hand. */
	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}

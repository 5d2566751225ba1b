package io.stampedsync;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of requests on one client, each checked by its status alone, all answered:
 * the clients of the tests read every answer to its end ({@link AnswersReadToTheEnd}),
 * and the gateway's servers answer every request of a keep-alive connection
 * ({@code web.KeepAliveRequests}). Without the first, the loop of the API hangs at its
 * 501st request (the pool's 500 connections each hold an unread answer); without the
 * second, the loop of the management port hung within a few hundred requests. A hang
 * fails at once: each request waits at most {@link #EACH}.
 */
class AnswersReadToTheEndTests extends GatewayWithDefaults {

	private static final int REQUESTS = 3_000;

	private static final Duration EACH = Duration.ofSeconds(5);

	@LocalManagementPort
	int managementPort;

	@Test
	void theAutowiredClientGetsEveryAnswerWhenATestChecksOnlyTheStatus() {
		// A stylesheet of 9 kB: more than a new connection's first read, so an unread
		// answer would keep its connection every time.
		assertThat(answered(this.client.mutate().responseTimeout(EACH).build(), "/assets/dashboard.css"))
			.isEqualTo(REQUESTS);
	}

	@Test
	void aClientOfTheManagementPortGetsEveryAnswerWhenATestChecksOnlyTheStatus() {
		WebTestClient management = GatewayClients.webTestClient(this.context, this.managementPort)
			.responseTimeout(EACH)
			.build();
		assertThat(answered(management, "/actuator/health/liveness")).isEqualTo(REQUESTS);
	}

	/** How many of {@link #REQUESTS} GETs of {@code path} answered 200 in turn. */
	private static int answered(WebTestClient client, String path) {
		int answered = 0;
		for (int i = 0; i < REQUESTS; i++) {
			try {
				client.get().uri(path).exchange().expectStatus().isOk();
			}
			catch (IllegalStateException ex) {
				// No answer within EACH: the count says where the loop stopped.
				return answered;
			}
			answered++;
		}
		return answered;
	}

}

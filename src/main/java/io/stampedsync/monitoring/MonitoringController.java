package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.stampedsync.web.security.SubscriptionScope;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Integration Monitoring: {@code GET /api/v1/monitoring}, the health and load of every
 * subscription.
 */
@RestController
@RequestMapping("/api/v1")
class MonitoringController {

	private final HealthSnapshots snapshots;

	private final Clock clock;

	MonitoringController(HealthSnapshots snapshots, Clock clock) {
		this.snapshots = snapshots;
		this.clock = clock;
	}

	@GetMapping("/monitoring")
	Mono<MonitoringView> monitoring(ServerWebExchange exchange) {
		SubscriptionScope scope = SubscriptionScope.of(exchange);
		// A scoped token sees its subscriptions only.
		return this.snapshots.snapshot()
			.map((all) -> new MonitoringView(this.clock.instant(),
					all.stream().filter((health) -> scope.allows(health.subscriptionId())).toList()));
	}

	/**
	 * The monitoring view.
	 *
	 * @param at when it was taken
	 * @param subscriptions every subscription, ordered by id
	 */
	record MonitoringView(Instant at, List<SubscriptionHealth> subscriptions) {
	}

}

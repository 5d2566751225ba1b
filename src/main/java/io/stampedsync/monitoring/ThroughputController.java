package io.stampedsync.monitoring;

import java.util.List;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/monitoring/throughput}: what a subscription did per minute over the
 * last minutes, kept by the server (24 hours at most).
 */
@RestController
@RequestMapping("/api/v1/monitoring")
class ThroughputController {

	private final ThroughputRecorder recorder;

	private final SubscriptionRegistry subscriptions;

	ThroughputController(ThroughputRecorder recorder, SubscriptionRegistry subscriptions) {
		this.recorder = recorder;
		this.subscriptions = subscriptions;
	}

	@GetMapping("/throughput")
	Mono<ThroughputView> throughput(@RequestParam String subscriptionId,
			@RequestParam(defaultValue = "60") int minutes) {
		if (minutes < 1 || minutes > ThroughputHistory.MINUTES) {
			return Mono.error(ApiProblemException
				.badRequest("minutes must be between 1 and " + ThroughputHistory.MINUTES + ", was " + minutes));
		}
		return this.subscriptions.find(subscriptionId)
			.switchIfEmpty(Mono.error(() -> ApiProblemException.notFound("No subscription '" + subscriptionId + "'")))
			.map((found) -> new ThroughputView(subscriptionId, minutes,
					this.recorder.history().points(subscriptionId, minutes)));
	}

	/**
	 * A subscription's throughput.
	 *
	 * @param points one per minute, oldest first; the last is the current minute, still
	 * filling
	 */
	record ThroughputView(String subscriptionId, int minutes, List<ThroughputPoint> points) {
	}

}

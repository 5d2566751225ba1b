package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.stampedsync.batch.DashboardFeed;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Streams the throughput history as it grows on the dashboard stream: once a second, a
 * {@code throughput} event for each minute of a subscription that changed since the
 * watcher's previous tick ({@code {subscriptionId, at, records, calls, errors,
 * directions}}, the point of {@code GET /api/v1/monitoring/throughput} with its
 * subscription; a later event for the same minute replaces the earlier one).
 */
@Component
class ThroughputFeed implements DashboardFeed {

	static final String EVENT = "throughput";

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private final ThroughputHistory history;

	private final JsonMapper json;

	ThroughputFeed(ThroughputRecorder recorder, JsonMapper json) {
		this.history = recorder.history();
		this.json = json;
	}

	@Override
	public Flux<ServerSentEvent<String>> events() {
		return Flux.defer(() -> {
			// The version of each subscription this watcher has seen: it starts from now
			// (the page reads the history itself), then gets every minute that changes.
			Map<String, Long> sent = new HashMap<>();
			this.history.subscriptions()
				.forEach((subscriptionId) -> sent.put(subscriptionId, this.history.version(subscriptionId)));
			return Flux.interval(INTERVAL).onBackpressureDrop().concatMapIterable((tick) -> changed(sent));
		}).map((update) -> ServerSentEvent.builder(this.json.writeValueAsString(update)).event(EVENT).build());
	}

	private List<Update> changed(Map<String, Long> sent) {
		List<Update> updates = new ArrayList<>();
		for (String subscriptionId : this.history.subscriptions()) {
			ThroughputHistory.Changes changes = this.history.changedSince(subscriptionId,
					sent.getOrDefault(subscriptionId, 0L));
			if (changes == null) {
				continue;
			}
			sent.put(subscriptionId, changes.version());
			for (ThroughputPoint point : changes.points()) {
				updates.add(new Update(subscriptionId, point.at().toString(), point.records(), point.calls(),
						point.errors(), point.directions()));
			}
		}
		return updates;
	}

	/** One minute of one subscription, as streamed. */
	record Update(String subscriptionId, String at, long records, long calls, long errors,
			ThroughputPoint.Directions directions) {
	}

}

package io.stampedsync.batch;

import reactor.core.publisher.Flux;

import org.springframework.http.codec.ServerSentEvent;

/**
 * More live events for the dashboard stream {@code GET /api/v1/events}, merged with the
 * progress and status of every batch (e.g. the monitoring's {@code subscription} events).
 * Each watcher subscribes on its own; the stream must never end by itself.
 */
@FunctionalInterface
public interface DashboardFeed {

	/** The events for one new watcher. */
	Flux<ServerSentEvent<String>> events();

}

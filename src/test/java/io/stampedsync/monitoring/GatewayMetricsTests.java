package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters are registered once per tag set and then reused: the counts stay exact and
 * the registry sees one registration per series, however many calls.
 */
class GatewayMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AtomicInteger added = new AtomicInteger();

	private final GatewayMetrics metrics = new GatewayMetrics(this.registry,
			new SubscriptionTags(SubscriptionTagsTests.properties(1)));

	@Test
	void shouldCountEveryCallOnMetersRegisteredOncePerSeries() {
		this.registry.config().onMeterAdded((meter) -> this.added.incrementAndGet());
		for (int i = 0; i < 1000; i++) {
			this.metrics.onCall(call("acme", 201, 1), Context.empty());
			this.metrics.onCall(call("acme", 503, 2), Context.empty());
			this.metrics.onCall(call("zeta", 201, 1), Context.empty());
			this.metrics.waited("acme", Direction.STAMPED, Duration.ofMillis(5));
			this.metrics.transfer("acme", "created", null);
			this.metrics.transfer("acme", "failed", "STAMPED_UNAVAILABLE");
		}

		assertThat(counter(GatewayMetrics.CALLS, "acme", "2xx")).isEqualTo(1000);
		assertThat(counter(GatewayMetrics.CALLS, "acme", "5xx")).isEqualTo(1000);
		assertThat(counter(GatewayMetrics.CALLS, "other", "2xx")).isEqualTo(1000);
		assertThat(this.registry.get(GatewayMetrics.RETRIES).tag("subscription", "acme").counter().count())
			.isEqualTo(1000);
		assertThat(this.registry.get(GatewayMetrics.CALL_DURATION).tag("status", "5xx").timer().count())
			.isEqualTo(1000);
		assertThat(this.registry.get(GatewayMetrics.PERMIT_WAIT).timer().totalTime(TimeUnit.MILLISECONDS))
			.isEqualTo(5000);
		assertThat(this.registry.get(GatewayMetrics.TRANSFERS).tag("code", "none").counter().count()).isEqualTo(1000);
		assertThat(this.registry.get(GatewayMetrics.TRANSFERS).tag("code", "STAMPED_UNAVAILABLE").counter().count())
			.isEqualTo(1000);
		// calls x3, durations x3, retries, permit wait, transfers x2
		assertThat(this.registry.getMeters()).hasSize(10);
		assertThat(this.added).hasValue(10);
	}

	@Test
	void shouldCountDispatcherRestartsAndStallsPerSubscription() {
		this.metrics.restarted("acme");
		this.metrics.restarted("acme");
		this.metrics.stalled("acme");

		assertThat(this.registry.get(GatewayMetrics.DISPATCHER_RESTARTS).tag("subscription", "acme").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get(GatewayMetrics.DISPATCHER_STALLS).tag("subscription", "acme").counter().count())
			.isEqualTo(1);
	}

	@Test
	void shouldRegisterTheRetriesSeriesOnlyWithTheFirstRetry() {
		this.metrics.onCall(call("acme", 201, 1), Context.empty());
		assertThat(this.registry.find(GatewayMetrics.RETRIES).meters()).isEmpty();
		this.metrics.onCall(call("acme", 201, 3), Context.empty());
		assertThat(this.registry.find(GatewayMetrics.RETRIES).meters()).extracting(Meter::getId)
			.singleElement()
			.satisfies((id) -> assertThat(id.getTag("direction")).isEqualTo("stamped"));
	}

	private double counter(String name, String subscription, String status) {
		return this.registry.get(name).tag("subscription", subscription).tag("status", status).counter().count();
	}

	private static OutboundCall call(String subscription, int status, int attempt) {
		return new OutboundCall(Direction.STAMPED, subscription, "POST", "/x", status, null, Duration.ofMillis(10),
				attempt);
	}

}

package io.stampedsync.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.stampedsync.GatewayClients;
import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestTokens;
import io.stampedsync.batch.DispatcherManager;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a {@link GatewayTorture} run's gateway runs: one embedded process on an H2 file
 * journal ({@link Embedded}), or replicas on PostgreSQL ({@link ReplicatedGateway}).
 */
interface TortureGateway extends AutoCloseable {

	/** Starts the gateway with these properties ({@code name=value}). */
	void start(List<String> properties);

	/** A client of the process the next API call goes to. */
	WebTestClient client();

	/** The dispatchers of every running process. */
	List<DispatcherManager> dispatchers();

	/** Stops and starts again (one replica of several); says what it restarted. */
	String restart(Random random);

	/**
	 * How long a deleted subscription's dispatcher may take to go: at once in one
	 * process; a replica that does not own it learns of the delete at its owner's next
	 * lease renewal.
	 */
	Duration retireWithin();

	/**
	 * No process holds a dispatcher of the deleted subscription, nor a lease on it.
	 */
	void assertRetired(String subscriptionId);

	/**
	 * What the ownership of this mode can prove about the subscriptions of a run that are
	 * alive and those that were deleted: no lease held for a deleted one, exactly one
	 * live owner for each other, no dispatcher running without a lease.
	 */
	void assertOwnership(Collection<String> live, Collection<String> deleted);

	/**
	 * Batches of the journal queued, running or paused with no record left to send, as
	 * the journal's own rows say (when the test can read them; the API's view of each
	 * batch of the run is checked anyway).
	 */
	default List<Map<String, Object>> unfinishedWithNothingPending() {
		return List.of();
	}

	@Override
	void close();

	/** Each {@code --name=value} of a process's command line. */
	static List<String> arguments(List<String> properties) {
		List<String> arguments = new ArrayList<>();
		properties.forEach((property) -> arguments.add("--" + property));
		arguments.addAll(TestTokens.arguments());
		return arguments;
	}

	/** One process on an embedded H2 file journal of its own. */
	final class Embedded implements TortureGateway {

		private final Path dataDir;

		private List<String> properties;

		private ConfigurableApplicationContext context;

		private WebTestClient client;

		Embedded(Path dataDir) {
			this.dataDir = dataDir;
		}

		@Override
		public void start(List<String> properties) {
			this.properties = new ArrayList<>(properties);
			this.properties.add("stamped-sync.data-dir=" + this.dataDir);
			start();
		}

		private void start() {
			this.context = new SpringApplicationBuilder(StampedSyncApplication.class)
				.run(arguments(this.properties).toArray(String[]::new));
			this.client = GatewayClients.admin(this.context).responseTimeout(Duration.ofSeconds(60)).build();
		}

		@Override
		public WebTestClient client() {
			return this.client;
		}

		@Override
		public List<DispatcherManager> dispatchers() {
			return List.of(this.context.getBean(DispatcherManager.class));
		}

		@Override
		public String restart(Random random) {
			this.context.close();
			this.context = null;
			start();
			return "restart";
		}

		@Override
		public Duration retireWithin() {
			return Duration.ofSeconds(5);
		}

		@Override
		public void assertRetired(String subscriptionId) {
			assertThat(dispatchers().get(0).dispatching()).as("dispatchers").doesNotContainKey(subscriptionId);
		}

		// One process holds no lease: every dispatcher it holds is owned here.
		@Override
		public void assertOwnership(Collection<String> live, Collection<String> deleted) {
			dispatchers().get(0).dispatching().forEach((id, owned) -> {
				assertThat(live).as("dispatcher of %s, not a live subscription of the run", id).contains(id);
				assertThat(owned).as("dispatcher of %s is owned here", id).isTrue();
			});
		}

		@Override
		public void close() {
			if (this.context != null) {
				this.context.close();
			}
		}

	}

}

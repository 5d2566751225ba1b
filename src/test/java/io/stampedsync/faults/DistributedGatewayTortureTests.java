package io.stampedsync.faults;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway tortured in distributed mode ({@link GatewayTorture}): per seed, two
 * replicas on a fresh PostgreSQL schema, each API call sent to either; in some seeds one
 * replica is stopped and started again mid-run (it hands its leases over as it goes), or
 * one that holds leases crashes ({@code Replicas#crash}: it stores and releases nothing
 * more) and is started again or left dead, its leases then taken over once expired.
 * Besides the checks of every run: right after each delete no replica holds the
 * subscription's dispatcher or lease; at the end each surviving subscription has exactly
 * one live owner, no deleted one has a lease row, every dispatcher runs on the replica
 * holding its lease, and the journal holds no batch queued, running or paused with
 * nothing left to send.
 * <p>
 * One seed by default (13 s on a quiet 2-core machine, seeds 7 to 22 s; 1 to 3 minutes at
 * a load of 40 to 57): {@code -Dgateway-torture.distributed=true} runs
 * {@code -Dgateway-torture.distributed.seeds} seeds (10 unless set), or the one
 * {@code -Dgateway-torture.distributed.seed=N}.
 */
@Requires(Requirement.POSTGRES)
class DistributedGatewayTortureTests {

	static final String PREFIX = "gateway-torture.distributed";

	static final List<StampedSimulator> stamped = GatewayTorture.stampedStores();

	static final IpaasSimulator ipaas = GatewayTorture.ipaasSystem();

	@TempDir
	static Path dataRoot;

	@AfterAll
	static void stop() {
		stamped.forEach(StampedSimulator::close);
		ipaas.close();
	}

	@TestFactory
	Stream<DynamicTest> everyRecordEndsOnceOnReplicasEachUnderItsLease() {
		return GatewayTorture.seeds(PREFIX, Boolean.getBoolean(PREFIX) ? 10 : 1)
			.mapToObj(
					(seed) -> DynamicTest.dynamicTest("seed " + seed,
							() -> new GatewayTorture(seed, stamped, ipaas,
									new ReplicatedGateway(2, dataRoot.resolve("seed-" + seed), seed), PREFIX + ".seed")
								.run()));
	}

}

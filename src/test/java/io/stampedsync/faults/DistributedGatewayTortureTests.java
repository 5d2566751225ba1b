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

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole gateway tortured in distributed mode ({@link GatewayTorture}): per seed, two
 * replicas on a fresh PostgreSQL schema, each API call sent to either; in some seeds one
 * replica is stopped and started again mid-run (it hands its leases over as it goes).
 * Besides the checks of every run: right after each delete no replica holds the
 * subscription's dispatcher or lease; at the end each surviving subscription has exactly
 * one live owner, no deleted one has a lease row, every dispatcher runs on the replica
 * holding its lease, and the journal holds no batch queued, running or paused with
 * nothing left to send.
 * <p>
 * Opt-in, as one seed takes from 20 s to over two minutes on a shared 2-core machine (the
 * default suite proves the distributed mode with {@code DistributedModeTests},
 * {@code FencingTests} and {@code CredentialsAcrossReplicasTests}):
 * {@code -Dgateway-torture.distributed=true} runs
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
		assumeTrue(Boolean.getBoolean(PREFIX) || System.getProperty(PREFIX + ".seed") != null,
				"opt-in: -D" + PREFIX + "=true");
		return GatewayTorture.seeds(PREFIX, 10)
			.mapToObj(
					(seed) -> DynamicTest.dynamicTest("seed " + seed,
							() -> new GatewayTorture(seed, stamped, ipaas,
									new ReplicatedGateway(2, dataRoot.resolve("seed-" + seed), seed), PREFIX + ".seed")
								.run()));
	}

}

package io.stampedsync.faults;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway tortured in embedded mode ({@link GatewayTorture}): per seed, a real
 * application context on an embedded H2 file journal of its own; in some seeds it is
 * stopped and started again on the same journal mid-run.
 * <p>
 * 2 seeds by default (the second restarts its context);
 * {@code -Dgateway-torture.seeds=50} runs more, {@code -Dgateway-torture.seed=N} runs the
 * one seed a failure names.
 */
class GatewayTortureTests {

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
	Stream<DynamicTest> everyRecordEndsOnceThroughTheWholeGateway() {
		return GatewayTorture.seeds("gateway-torture", 2)
			.mapToObj((seed) -> DynamicTest.dynamicTest("seed " + seed,
					() -> new GatewayTorture(seed, stamped, ipaas,
							new TortureGateway.Embedded(dataRoot.resolve("seed-" + seed)), "gateway-torture.seed")
						.run()));
	}

}

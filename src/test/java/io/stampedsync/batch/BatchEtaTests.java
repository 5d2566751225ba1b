package io.stampedsync.batch;

import java.util.List;

import io.stampedsync.batch.BatchEta.Cost;
import io.stampedsync.batch.BatchEta.Estimate;
import io.stampedsync.batch.BatchEta.Limit;
import io.stampedsync.batch.BatchEta.Load;
import io.stampedsync.batch.BatchEta.Store;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchEtaTests {

	static final Cost ONE_CALL = new Cost(1, 0, 0.05, 0.1);

	/** 10 Stamped.io calls per second, 2 connections, 10 batches at once. */
	static final Store STORE = new Store(10, 10, 2, 10, false, 0);

	@Test
	void aBatchAloneGetsTheWholeQuota() {
		assertThat(BatchEta.estimate(new Load(100, ONE_CALL), List.of(), List.of(), STORE))
			.isEqualTo(new Estimate(10L, Limit.STAMPED_QUOTA));
	}

	@Test
	void batchesOfOneStoreShareItsQuotaRoundRobin() {
		// Two batches of 100: one record of each per round, 0.2 s a round.
		assertThat(BatchEta.estimate(new Load(100, ONE_CALL), List.of(new Load(100, ONE_CALL)), List.of(), STORE)
			.etaSeconds()).isEqualTo(20L);
		// 50 rounds of three (15 s), then the 50 left of the 100 share with one (10 s).
		assertThat(BatchEta
			.estimate(new Load(100, ONE_CALL), List.of(new Load(50, ONE_CALL), new Load(300, ONE_CALL)), List.of(),
					STORE)
			.etaSeconds()).isEqualTo(25L);
		// The small one ends after 50 rounds of three.
		assertThat(BatchEta
			.estimate(new Load(50, ONE_CALL), List.of(new Load(100, ONE_CALL), new Load(300, ONE_CALL)), List.of(),
					STORE)
			.etaSeconds()).isEqualTo(15L);
	}

	@Test
	void aQueuedBatchTakesTheSlotOfOneThatEnds() {
		Store oneAtATime = new Store(10, 10, 2, 2, false, 0);
		// 50 rounds of two (10 s), then the queued 100 shares with our last 50 (10 s).
		assertThat(
				BatchEta.estimate(new Load(100, ONE_CALL), List.of(new Load(50, ONE_CALL)), List.of(100L), oneAtATime)
					.etaSeconds())
			.isEqualTo(20L);
	}

	@Test
	void tellsWhichLimitBinds() {
		Cost slowCalls = new Cost(1, 0, 1.0, 1.0);
		assertThat(BatchEta.estimate(new Load(10, slowCalls), List.of(), List.of(), STORE))
			.isEqualTo(new Estimate(5L, Limit.CONNECTIONS));
		Cost withIpaas = new Cost(1, 2, 0.01, 0.02);
		assertThat(BatchEta.estimate(new Load(10, withIpaas), List.of(), List.of(), new Store(10, 4, 2, 10, false, 0)))
			.isEqualTo(new Estimate(5L, Limit.IPAAS_QUOTA));
		assertThat(BatchEta.estimate(new Load(10, ONE_CALL), List.of(), List.of(), new Store(10, 10, 2, 10, true, 0)))
			.isEqualTo(new Estimate(null, Limit.PAUSED));
	}

	@Test
	void slotsHeldLongerThanTheCallsNeedBindAsConnections() {
		// The calls need 0.05 s, but each record holds its slot 2 s (a slow gateway).
		Cost slowGateway = new Cost(1, 0, 0.05, 2.0);
		assertThat(BatchEta.estimate(new Load(10, slowGateway), List.of(), List.of(), STORE))
			.isEqualTo(new Estimate(10L, Limit.CONNECTIONS));
		// Slots that wait for permits look as busy as the quota: the quota binds.
		Cost waiting = new Cost(1, 0, 0.05, 0.2);
		assertThat(BatchEta.estimate(new Load(100, waiting), List.of(), List.of(), STORE))
			.isEqualTo(new Estimate(10L, Limit.STAMPED_QUOTA));
		// A little busier than the quota (the first records met a cold gateway): the
		// quota's pace still tells the time.
		Cost warmingUp = new Cost(1, 0, 0.05, 0.24);
		assertThat(BatchEta.estimate(new Load(100, warmingUp), List.of(), List.of(), STORE))
			.isEqualTo(new Estimate(10L, Limit.STAMPED_QUOTA));
	}

	@Test
	void aCoolDownAddsItsTimeLeft() {
		assertThat(BatchEta.estimate(new Load(100, ONE_CALL), List.of(), List.of(), new Store(10, 10, 2, 10, false, 30))
			.etaSeconds()).isEqualTo(40L);
	}

	@Test
	void unchangedRecordsCostNoQuota() {
		Cost free = new Cost(0, 0, 0, 0);
		assertThat(BatchEta.estimate(new Load(100, ONE_CALL), List.of(new Load(1000, free)), List.of(), STORE)
			.etaSeconds()).isEqualTo(10L);
	}

}

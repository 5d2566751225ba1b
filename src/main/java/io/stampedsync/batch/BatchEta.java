package io.stampedsync.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * How long a running batch has left, and what holds it back. The dispatcher takes the
 * running batches' records in turn (round-robin), so each round moves one record of every
 * active batch, and a round costs the calls of those records: it lasts as long as the
 * slowest of the Stamped.io quota, the iPaaS.com quota and the connections needs for
 * them. The batch's share is therefore one record per round; batches that end before it
 * leave their turn to the others, and queued batches take a freed slot. A pure function,
 * tested alone.
 */
final class BatchEta {

	/** How much slower than the quotas the connections must be to be named the limit. */
	private static final double CONNECTIONS_MARGIN = 1.25;

	private BatchEta() {
	}

	/** What binds a batch's pace. */
	enum Limit {

		STAMPED_QUOTA("stamped-quota"), IPAAS_QUOTA("ipaas-quota"), CONNECTIONS("connections"), PAUSED("paused");

		private final String tag;

		Limit(String tag) {
			this.tag = tag;
		}

		String tag() {
			return this.tag;
		}

	}

	/**
	 * What one record costs.
	 *
	 * @param stampedCalls Stamped.io calls per record
	 * @param ipaasCalls iPaaS.com calls per record
	 * @param callSeconds seconds one record's calls last, 0 when not known yet
	 * @param slotSeconds seconds one record holds its connection slot, from dispatch to
	 * outcome (its calls, its permit waits and the gateway's own work), 0 when not known
	 * yet
	 */
	record Cost(double stampedCalls, double ipaasCalls, double callSeconds, double slotSeconds) {

		/** A first guess before a batch made any call: one Stamped.io call per record. */
		static final Cost UNKNOWN = new Cost(1, 0, 0, 0);

	}

	/** A batch's records left and their cost. */
	record Load(long remaining, Cost cost) {
	}

	/**
	 * The store's limits.
	 *
	 * @param stampedPerSecond Stamped.io quota, L/W
	 * @param ipaasPerSecond iPaaS.com quota, L/W
	 * @param connections Concurrent Connections
	 * @param batchSlots Concurrent Batch Executions
	 * @param paused whether the subscription is paused (credentials rejected)
	 * @param coolDownSeconds time left in a cool-down after a 429, 0 when none
	 */
	record Store(double stampedPerSecond, double ipaasPerSecond, int connections, int batchSlots, boolean paused,
			double coolDownSeconds) {
	}

	/**
	 * An estimate.
	 *
	 * @param etaSeconds seconds left, {@code null} when it cannot be told (paused)
	 * @param limit what binds the batch now
	 */
	record Estimate(Long etaSeconds, Limit limit) {
	}

	/**
	 * Estimates {@code target} among the {@code others} running on the same store and the
	 * {@code queued} ones (their sizes, in admission order, costed like the target).
	 */
	static Estimate estimate(Load target, List<Load> others, List<Long> queued, Store store) {
		if (store.paused()) {
			return new Estimate(null, Limit.PAUSED);
		}
		List<double[]> active = new ArrayList<>();
		double[] mine = { target.remaining() };
		active.add(mine);
		List<Cost> costs = new ArrayList<>();
		costs.add(target.cost());
		for (Load other : others) {
			if (other.remaining() > 0) {
				active.add(new double[] { other.remaining() });
				costs.add(other.cost());
			}
		}
		int nextQueued = 0;
		double seconds = store.coolDownSeconds();
		Limit first = null;
		while (mine[0] > 0) {
			Round round = round(costs, store);
			if (first == null) {
				first = round.limit();
			}
			double rounds = active.stream().mapToDouble((left) -> left[0]).min().orElse(0);
			seconds += rounds * round.seconds();
			for (int i = active.size() - 1; i >= 0; i--) {
				active.get(i)[0] -= rounds;
				if (active.get(i)[0] <= 0 && active.get(i) != mine) {
					active.remove(i);
					costs.remove(i);
				}
			}
			while (mine[0] > 0 && active.size() < store.batchSlots() && nextQueued < queued.size()) {
				active.add(new double[] { queued.get(nextQueued++) });
				costs.add(target.cost());
			}
		}
		return new Estimate(Math.round(seconds), (first != null) ? first : Limit.STAMPED_QUOTA);
	}

	/** How long one record of every active batch takes, and which limit sets it. */
	private static Round round(List<Cost> costs, Store store) {
		double stamped = 0;
		double ipaas = 0;
		double calling = 0;
		double holding = 0;
		for (Cost cost : costs) {
			stamped += cost.stampedCalls();
			ipaas += cost.ipaasCalls();
			calling += cost.callSeconds();
			holding += cost.slotSeconds();
		}
		Round round = new Round(stamped / store.stampedPerSecond(), Limit.STAMPED_QUOTA);
		if (ipaas / store.ipaasPerSecond() > round.seconds()) {
			round = new Round(ipaas / store.ipaasPerSecond(), Limit.IPAAS_QUOTA);
		}
		if (calling / store.connections() > round.seconds()) {
			round = new Round(calling / store.connections(), Limit.CONNECTIONS);
		}
		// What the slots really achieve (Little's law) catches a gateway slower than its
		// calls. A slot also waits for permits, so under a binding quota it looks as busy
		// as the quota, and a little busier while the first records of a batch meet a
		// cold gateway: within the margin the quota's pace is the better guess, beyond
		// it the slots bind.
		double held = holding / store.connections();
		if (held > round.seconds() * CONNECTIONS_MARGIN) {
			return new Round(held, Limit.CONNECTIONS);
		}
		return round;
	}

	private record Round(double seconds, Limit limit) {
	}

}

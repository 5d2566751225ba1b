package io.stampedsync.faults;

import java.util.List;

import io.stampedsync.sandbox.StampedSimulator;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per email, what the Stamped.io simulator got against what the batch's records say: the
 * calls equal the attempts, and a create is applied at most once. The simulator counts
 * creates per email although it merges them into one customer, so a create sent twice
 * shows here.
 */
public final class CreatesPerEmail {

	private CreatesPerEmail() {
	}

	/**
	 * Nothing was lost on the way: every call is an attempt, every create applied once.
	 */
	public static void assertExact(StampedSimulator stamped, List<JsonNode> results) {
		assertThat(results).allSatisfy((result) -> {
			String email = result.get("email").asString();
			assertThat(stamped.stats().callsFor(email)).as("calls for %s", result)
				.isEqualTo(result.get("attempts").asLong());
			assertThat(stamped.store().creates(email)).as("creates of %s", result).isLessThanOrEqualTo(1);
		});
	}

	/**
	 * After a gateway was killed: a record whose call went out from the killed process
	 * but whose outcome was not stored is run again, so it may have one call that is no
	 * attempt of its own and, when its link was not stored either, one more create. At
	 * most {@code unfinishedAtKill} records may be like that (those in flight or not yet
	 * journaled at the kill); every other record is exact.
	 */
	public static void assertAfterKill(StampedSimulator stamped, List<JsonNode> results, int unfinishedAtKill) {
		int rerun = 0;
		for (JsonNode result : results) {
			String email = result.get("email").asString();
			long extra = stamped.stats().callsFor(email) - result.get("attempts").asLong();
			assertThat(extra).as("calls for %s that are no attempt of it", result).isBetween(0L, 1L);
			assertThat(stamped.store().creates(email)).as("creates of %s", result).isLessThanOrEqualTo(1 + (int) extra);
			rerun += (int) extra;
		}
		assertThat(rerun).as("records run again after the kill").isLessThanOrEqualTo(unfinishedAtKill);
	}

}

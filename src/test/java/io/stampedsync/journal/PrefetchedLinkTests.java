package io.stampedsync.journal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import io.stampedsync.batch.BatchRecord;
import io.stampedsync.batch.Fence;
import io.stampedsync.batch.PendingRecord;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.PrefetchedLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links a read-ahead page brings with its records, on the real schema (embedded H2,
 * and PostgreSQL following {@code EnvironmentRule}): trusted while no save of the
 * customer can have been missed by the page's read, looked up again otherwise, so that a
 * transfer never works from a link older than the customer's last save (which would
 * create the customer twice at Stamped.io, or undo a newer record).
 */
class PrefetchedLinkTests {

	private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

	private DatabaseClient db;

	private UnsavedLinks unsaved;

	private R2dbcLinkStore links;

	private R2dbcBatchJournal journal;

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aPageBringsEachRecordsLinkAndTheTransferLooksNothingUp(String database) {
		open(database);
		CustomerLink known = link("c0", "s0", 1, 0);
		this.links.save(known).block();
		this.links.writeUnsaved().block();
		batch("b2", 2, "c0", "c1");

		List<PendingRecord> page = page("b2");

		assertThat(page).extracting((pending) -> pending.link().link()).containsExactly(known, null);
		assertThat(find(page.get(0))).isEqualTo(known);
		assertThat(find(page.get(1))).isNull();
		assertThat(this.links.prefetchedUsed()).isEqualTo(2);
		assertThat(this.links.lookedUp()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aCustomerTwiceInOnePageGetsTheLinkItsFirstRecordSavedNotThePages(String database) {
		open(database);
		batch("b1", 1, "c0", "c0");
		List<PendingRecord> page = page("b1");
		assertThat(page.get(1).link().link()).as("none when the page was read").isNull();

		// The first record creates the customer; its link is held until its group
		// commits.
		CustomerLink created = link("c0", "s0", 1, 0);
		this.links.save(created).block();
		assertThat(find(page.get(1))).as("while held").isEqualTo(created);

		this.journal.complete(List.of(outcome("b1", 0)), List.of()).block();
		assertThat(this.unsaved.isEmpty()).as("committed and forgotten").isTrue();

		assertThat(find(page.get(1))).as("committed: the page's 'no link' is stale").isEqualTo(created);
		assertThat(this.links.lookedUp()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aSaveHeldWhileAnotherBatchsPageIsReadAndCommittedAfterIsNotMissed(String database) {
		open(database);
		batch("b1", 1, "c0");
		batch("b2", 2, "c0");
		CustomerLink first = link("c0", "s0", 1, 0);
		this.links.save(first).block();

		// Read while the save waits for its commit: the page's statement cannot see it.
		List<PendingRecord> later = page("b2");
		assertThat(later.get(0).link().link()).isNull();
		this.journal.complete(List.of(outcome("b1", 0)), List.of()).block();

		assertThat(find(later.get(0))).isEqualTo(first);
		assertThat(this.links.prefetchedUsed()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aSaveCommittedBeforeThePageIsReadLeavesThePageTrusted(String database) {
		open(database);
		batch("b1", 1, "c0");
		batch("b2", 2, "c0");
		CustomerLink first = link("c0", "s0", 1, 0);
		this.links.save(first).block();
		this.journal.complete(List.of(outcome("b1", 0)), List.of()).block();

		List<PendingRecord> later = page("b2");

		assertThat(find(later.get(0))).isEqualTo(first);
		assertThat(this.links.prefetchedUsed()).isEqualTo(1);
		assertThat(this.links.lookedUp()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aPageOfAnotherCustomerOrSubscriptionIsNotUsed(String database) {
		open(database);
		batch("b1", 1, "c0");
		PrefetchedLink page = page("b1").get(0).link();

		this.links.find("acme", "c9", page).block();
		this.links.find("other", "c0", page).block();

		assertThat(this.links.prefetchedUsed()).isZero();
		assertThat(this.links.lookedUp()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "postgresql" })
	void aFencedSaveAfterThePageIsReadIsNotMissed(String database) {
		open(database);
		this.db
			.sql("INSERT INTO subscription_lease (subscription_id, owner, fencing_token, expires_at) "
					+ "VALUES ('acme', 'me', 7, :at)")
			.bind("at", AT.plusSeconds(3600).atOffset(ZoneOffset.UTC))
			.then()
			.block();
		batch("b1", 1, "c0", "c0");
		List<PendingRecord> page = page("b1");

		CustomerLink created = link("c0", "s0", 1, 0);
		this.links.save(created).contextWrite(new Fence("acme", 7)::into).block();
		assertThat(this.unsaved.isEmpty()).as("written at once, not held").isTrue();

		assertThat(find(page.get(1))).isEqualTo(created);
		assertThat(this.links.prefetchedUsed()).isZero();
	}

	@Test
	void forgottenChangesMakeOlderPagesLookTheirLinksUp() {
		LinkChanges changes = new LinkChanges(2);
		long before = changes.count();
		changes.changed(new LinkKey("acme", "c0"));
		long after = changes.count();
		changes.changed(new LinkKey("acme", "c1"));
		changes.changed(new LinkKey("acme", "c2"));

		assertThat(changes.unchangedSince(new LinkKey("acme", "c9"), before))
			.as("c0's change is forgotten: any link may have changed since")
			.isFalse();
		assertThat(changes.unchangedSince(new LinkKey("acme", "c9"), after)).isTrue();
		assertThat(changes.unchangedSince(new LinkKey("acme", "c2"), after)).isFalse();
	}

	private void open(String database) {
		this.db = DatabaseClient.create(MigratedJournal.connections(database, "prefetch-"));
		this.unsaved = new UnsavedLinks();
		this.links = new R2dbcLinkStore(this.db, this.unsaved);
		this.journal = new R2dbcBatchJournal(this.db, null, this.unsaved);
	}

	private CustomerLink find(PendingRecord pending) {
		return this.links.find("acme", pending.record().ipaasCustomerId(), pending.link()).block();
	}

	private List<PendingRecord> page(String batchId) {
		return this.journal.pendingWithLinks("acme", batchId, -1, 256).collectList().block();
	}

	private void batch(String id, long acceptSeq, String... customers) {
		this.db
			.sql("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, created_at) "
					+ "VALUES (:id, :seq, 'acme', 'bulk', 'running', :total, :at)")
			.bind("id", id)
			.bind("seq", acceptSeq)
			.bind("total", customers.length)
			.bind("at", AT.atOffset(ZoneOffset.UTC))
			.then()
			.block();
		this.journal
			.insertRecords(IntStream.range(0, customers.length)
				.mapToObj((i) -> BatchRecord.pending(id, i, customers[i], customers[i] + "@example.com", "{}"))
				.toList())
			.block();
	}

	private static CustomerLink link(String customer, String stampedId, long batchSeq, int index) {
		return new CustomerLink("acme", customer, stampedId, "fp", null, batchSeq, index, AT);
	}

	private static BatchRecord outcome(String batchId, int index) {
		return new BatchRecord(batchId, index, "c0", "c0@example.com", null, Outcome.CREATED, "s0", 1, 0, 3L, null,
				null, null, null, AT);
	}

}

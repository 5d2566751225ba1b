package io.stampedsync.subscription;

import java.time.Clock;
import java.time.OffsetDateTime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The API-made subscriptions in the journal's {@code subscription} table. Writes are
 * guarded by the version, so two concurrent writers cannot both win.
 */
@Repository
class SubscriptionRows {

	private final DatabaseClient db;

	private final JsonMapper json;

	private final Clock clock;

	SubscriptionRows(DatabaseClient db, JsonMapper json, ObjectProvider<Clock> clock) {
		this.db = db;
		this.json = json;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	Mono<SubscriptionSettings> find(String id) {
		return this.db.sql("SELECT id, settings, version FROM subscription WHERE id = :id")
			.bind("id", id)
			.map((row) -> read(row.get("id", String.class), row.get("settings", String.class),
					row.get("version", Long.class)))
			.one();
	}

	Flux<SubscriptionSettings> findAll() {
		return this.db.sql("SELECT id, settings, version FROM subscription ORDER BY id")
			.map((row) -> read(row.get("id", String.class), row.get("settings", String.class),
					row.get("version", Long.class)))
			.all();
	}

	/** Inserts a new row; {@code false} when a row with that id exists already. */
	Mono<Boolean> insert(SubscriptionSettings settings) {
		return this.db
			.sql("INSERT INTO subscription (id, settings, version, updated_at) VALUES (:id, :settings, :version, :at)")
			.bind("id", settings.id())
			.bind("settings", write(settings))
			.bind("version", settings.version())
			.bind("at", now())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1)
			.onErrorReturn(DataIntegrityViolationException.class, false);
	}

	/** Replaces the row if it still has {@code expectedVersion}. */
	Mono<Boolean> update(SubscriptionSettings settings, long expectedVersion) {
		return this.db
			.sql("UPDATE subscription SET settings = :settings, version = :version, updated_at = :at "
					+ "WHERE id = :id AND version = :expected")
			.bind("id", settings.id())
			.bind("settings", write(settings))
			.bind("version", settings.version())
			.bind("at", now())
			.bind("expected", expectedVersion)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/** Deletes the row if it still has {@code expectedVersion}. */
	Mono<Boolean> delete(String id, long expectedVersion) {
		return this.db.sql("DELETE FROM subscription WHERE id = :id AND version = :expected")
			.bind("id", id)
			.bind("expected", expectedVersion)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	private SubscriptionSettings read(String id, String settings, Long version) {
		try {
			return this.json.readValue(settings, StoredSettings.class).toSettings(id, version);
		}
		catch (JacksonException ex) {
			// Jackson's message may quote the stored JSON, secrets included: keep it out.
			throw new IllegalStateException("Stored settings of subscription " + id + " cannot be read");
		}
	}

	private String write(SubscriptionSettings settings) {
		return this.json.writeValueAsString(StoredSettings.of(settings));
	}

	private OffsetDateTime now() {
		return OffsetDateTime.now(this.clock);
	}

}

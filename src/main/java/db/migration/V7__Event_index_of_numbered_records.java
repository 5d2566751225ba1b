package db.migration;

import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, {@code batch_record_by_event} holds only the records that have an event
 * number: a record waits without one, so intake no longer writes an entry per record into
 * it, and it stays the size of the finished part of the journal. Every query that reads
 * by it asks for numbered records ({@code event_seq > :after}, {@code IS NOT NULL}, or
 * {@code MAX(event_seq)}, which the planner reads as the last non-null entry), so each
 * can use the partial index. H2 has no partial index: there the index stays whole (in a
 * Java migration, because one SQL text cannot serve both databases).
 */
public class V7__Event_index_of_numbered_records extends BaseJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		String database = context.getConnection().getMetaData().getDatabaseProductName();
		if (!database.toLowerCase(Locale.ROOT).contains("postgres")) {
			return;
		}
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("DROP INDEX batch_record_by_event");
			statement.execute("CREATE INDEX batch_record_by_event ON batch_record (batch_id, event_seq) "
					+ "WHERE event_seq IS NOT NULL");
		}
	}

}

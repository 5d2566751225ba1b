package db.migration;

import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A record's primary key becomes one number, {@code record_key}: its batch's
 * {@code accept_seq} times 2³² plus its index. On H2 a primary key of one {@code BIGINT}
 * column is the key of the table's own row map, so a record takes two B-tree entries (the
 * rows, and {@code batch_record_by_event}) instead of three: the composite primary key
 * {@code (batch_id, idx)} was a separate index beside the rows, keyed by a hidden row id.
 * A batch's records are still one range of the key, in index order.
 * <p>
 * H2 makes a new primary key the row map's key only on an empty table, so the table is
 * made anew and its rows copied into it (in one transaction, like every migration).
 * Records whose batch is gone (there should be none: a batch row goes after its records)
 * have no key and are not copied. The event index is made again as V7 left it: partial on
 * PostgreSQL, whole on H2.
 */
public class V10__Record_key extends BaseJavaMigration {

	private static final String COLUMNS = "batch_id, idx, ipaas_customer_id, email, payload, outcome, "
			+ "stamped_customer_id, attempts, duration_ms, error_code, error_message, http_status, trace, finished_at, "
			+ "ipaas_calls, event_seq";

	@Override
	public void migrate(Context context) throws Exception {
		String database = context.getConnection().getMetaData().getDatabaseProductName();
		boolean postgres = database.toLowerCase(Locale.ROOT).contains("postgres");
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("""
					CREATE TABLE batch_record_keyed (
					    record_key           BIGINT        NOT NULL PRIMARY KEY,
					    batch_id             VARCHAR(36)   NOT NULL,
					    idx                  INT           NOT NULL,
					    ipaas_customer_id    VARCHAR(64),
					    email                VARCHAR(320),
					    payload              VARCHAR(1048576),
					    outcome              VARCHAR(16),
					    stamped_customer_id  VARCHAR(64),
					    attempts             INT           NOT NULL DEFAULT 0,
					    duration_ms          BIGINT,
					    error_code           VARCHAR(40),
					    error_message        VARCHAR(2000),
					    http_status          INT,
					    trace                TEXT,
					    finished_at          TIMESTAMP WITH TIME ZONE,
					    ipaas_calls          INT           NOT NULL DEFAULT 0,
					    event_seq            BIGINT
					)""");
			statement.execute("INSERT INTO batch_record_keyed (record_key, " + COLUMNS + ") "
					+ "SELECT b.accept_seq * 4294967296 + r.idx, " + prefixed(COLUMNS)
					+ " FROM batch_record r JOIN batch b ON b.id = r.batch_id");
			statement.execute("DROP TABLE batch_record");
			statement.execute("ALTER TABLE batch_record_keyed RENAME TO batch_record");
			statement.execute("CREATE INDEX batch_record_by_event ON batch_record (batch_id, event_seq)"
					+ (postgres ? " WHERE event_seq IS NOT NULL" : ""));
		}
	}

	private static String prefixed(String columns) {
		return "r." + columns.replace(", ", ", r.");
	}

}

package io.stampedsync.journal;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.r2dbc.spi.Parameter;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The few SQL differences between the embedded H2 journal and PostgreSQL, decided once
 * from the connection factory; every other statement is the same on both.
 */
enum SqlDialect {

	H2("SELECT NEXT VALUE FOR batch_accept_seq", ""),

	// Distributed mode: a replica that lost a subscription may still store the event of
	// a call that was in flight while the next owner numbers its own; the outcome is in
	// batch_record either way, and a duplicate must not wedge the journal writer.
	POSTGRESQL("SELECT nextval('batch_accept_seq')", " ON CONFLICT (batch_id, seq) DO NOTHING");

	private final String nextAcceptSeq;

	private final String eventConflict;

	SqlDialect(String nextAcceptSeq, String eventConflict) {
		this.nextAcceptSeq = nextAcceptSeq;
		this.eventConflict = eventConflict;
	}

	/** What ends an insert into {@code batch_event}. */
	String eventConflict() {
		return this.eventConflict;
	}

	/** The next value of the batch accept sequence, as one row of one column. */
	String nextAcceptSeq() {
		return this.nextAcceptSeq;
	}

	/**
	 * {@code values} (of {@code type}, some {@code null}) as one array parameter for an
	 * {@code UNNEST} ({@link ColumnArrays}). r2dbc-postgresql binds a typed Java array as
	 * the matching PostgreSQL array. r2dbc-h2 encodes each element with its codecs, which
	 * refuse a {@code null} (a parameter without a value encodes as SQL NULL) and bind a
	 * {@code String} as a CLOB: a text goes as its UTF-8 bytes, which H2 decodes when it
	 * casts them to the column's character type.
	 */
	Object array(Class<?> type, Object[] values) {
		if (this == POSTGRESQL) {
			Object[] typed = (Object[]) Array.newInstance(type, values.length);
			System.arraycopy(values, 0, typed, 0, values.length);
			return typed;
		}
		Object[] elements = new Object[values.length];
		for (int i = 0; i < values.length; i++) {
			Object value = values[i];
			elements[i] = (value == null) ? H2_NULL
					: (value instanceof String text) ? text.getBytes(StandardCharsets.UTF_8) : value;
		}
		return elements;
	}

	private static final Parameter H2_NULL = Parameters.in(R2dbcType.VARCHAR);

	static SqlDialect of(DatabaseClient db) {
		String name = db.getConnectionFactory().getMetadata().getName();
		return name.toLowerCase(Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
	}

}

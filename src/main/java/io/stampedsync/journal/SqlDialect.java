package io.stampedsync.journal;

import java.util.Locale;

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

	static SqlDialect of(DatabaseClient db) {
		String name = db.getConnectionFactory().getMetadata().getName();
		return name.toLowerCase(Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
	}

}

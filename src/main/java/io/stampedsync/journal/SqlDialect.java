package io.stampedsync.journal;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The few SQL differences between the embedded H2 journal and PostgreSQL, decided once
 * from the connection factory; every other statement is the same on both.
 */
enum SqlDialect {

	H2("SELECT NEXT VALUE FOR batch_accept_seq"),

	POSTGRESQL("SELECT nextval('batch_accept_seq')");

	private final String nextAcceptSeq;

	SqlDialect(String nextAcceptSeq) {
		this.nextAcceptSeq = nextAcceptSeq;
	}

	/** The next value of the batch accept sequence, as one row of one column. */
	String nextAcceptSeq() {
		return this.nextAcceptSeq;
	}

	static SqlDialect of(DatabaseClient db) {
		String name = db.getConnectionFactory().getMetadata().getName();
		return name.toLowerCase(java.util.Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
	}

}

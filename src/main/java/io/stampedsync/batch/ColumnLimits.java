package io.stampedsync.batch;

/**
 * The lengths of the journal's columns that hold input (db/migration): input longer than
 * its column is refused at the edge, never written to fail with a 5xx (DESIGN.md §5). A
 * refused record keeps a copy cut to fit, so its result can still be shown.
 */
public final class ColumnLimits {

	/**
	 * {@code batch_record.ipaas_customer_id}, {@code customer_link.ipaas_customer_id}.
	 */
	public static final int CUSTOMER_ID = 64;

	/** {@code batch_record.email}: RFC 5321's longest forward path. */
	public static final int EMAIL = 320;

	/** {@code batch.idempotency_key}. */
	public static final int IDEMPOTENCY_KEY = 200;

	/** {@code batch_record.stamped_customer_id}. */
	public static final int STAMPED_CUSTOMER_ID = 64;

	/** {@code batch_record.error_message}. */
	public static final int ERROR_MESSAGE = 2000;

	private ColumnLimits() {
	}

	/**
	 * {@code value} cut to {@code limit} characters ({@code null} stays {@code null}).
	 */
	public static String fit(String value, int limit) {
		return (value == null || value.length() <= limit) ? value : value.substring(0, limit);
	}

	/** The reason a value is refused: "longer than 64 characters (65)". */
	public static String tooLong(String value, int limit) {
		return "longer than " + limit + " characters (" + value.length() + ")";
	}

}

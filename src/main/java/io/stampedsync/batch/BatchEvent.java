package io.stampedsync.batch;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One entry of a batch's event log: what its SSE stream replays. {@code seq} is the SSE
 * event id; {@link #data()} is the JSON of DESIGN.md §4.
 *
 * @param type {@code record}, {@code progress} or {@code status}
 * @param json the event's JSON, written the first time someone reads it
 * @param record for a {@code record} event, the finished record it tells of (the journal
 * stores it as the record's row, not as a second copy; the monitoring reads it rather
 * than parse {@code data} back), else {@code null}
 */
public record BatchEvent(String batchId, String subscriptionId, long seq, String type, Json json, Instant createdAt,
		BatchRecord record) {

	public static final String RECORD = "record";

	public static final String PROGRESS = "progress";

	public static final String STATUS = "status";

	/** An event whose JSON is already written. */
	public BatchEvent(String batchId, String subscriptionId, long seq, String type, String data, Instant createdAt,
			BatchRecord record) {
		this(batchId, subscriptionId, seq, type, Json.of(data), createdAt, record);
	}

	/** An event read from an event log, with its JSON only. */
	public BatchEvent(String batchId, String subscriptionId, long seq, String type, String data, Instant createdAt) {
		this(batchId, subscriptionId, seq, type, Json.of(data), createdAt, null);
	}

	/** The event's JSON (DESIGN.md §4). */
	public String data() {
		return this.json.text();
	}

	/**
	 * The JSON of one event, written at most once and only when read: the event of every
	 * finished record is built, but its JSON is wanted only while an event stream watches
	 * the batch (the journal stores the record's row, the monitoring reads the record
	 * itself).
	 */
	public static final class Json {

		private Supplier<String> writer;

		private volatile String text;

		private Json(String text, Supplier<String> writer) {
			this.text = text;
			this.writer = writer;
		}

		/** JSON already written. */
		public static Json of(String text) {
			return new Json(Objects.requireNonNull(text, "text"), null);
		}

		/** JSON that {@code writer} writes the first time it is read. */
		public static Json lazy(Supplier<String> writer) {
			return new Json(null, Objects.requireNonNull(writer, "writer"));
		}

		/** The text, written now if it was not yet. */
		public String text() {
			String written = this.text;
			if (written == null) {
				synchronized (this) {
					written = this.text;
					if (written == null) {
						written = this.writer.get();
						this.text = written;
						this.writer = null;
					}
				}
			}
			return written;
		}

		@Override
		public boolean equals(Object other) {
			return (other instanceof Json json) && text().equals(json.text());
		}

		@Override
		public int hashCode() {
			return text().hashCode();
		}

		@Override
		public String toString() {
			return text();
		}

	}

}

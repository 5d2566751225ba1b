package io.stampedsync.monitoring;

import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchRecord;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of a record event, read by streaming over its top-level properties instead
 * of building a tree: most records succeed, and for them the monitoring needs only what
 * the metrics and the throughput history count.
 *
 * @param outcome the {@code outcome} property, or {@code null}
 * @param hasError whether a non-null {@code error} property is present (then the whole
 * event is read as a tree)
 * @param attempts the {@code attempts} property (calls made for the record), or 0
 * @param ipaasCalls the {@code ipaasCalls} property (those of the attempts to iPaaS.com),
 * or 0: an event written before the journal told the directions apart counts all its
 * attempts as Stamped.io calls
 */
record RecordOutcome(String outcome, boolean hasError, long attempts, long ipaasCalls) {

	/**
	 * The outcome of a record event: from the record it carries when it was built in this
	 * process, else read from its JSON.
	 */
	static RecordOutcome of(BatchEvent event, JsonMapper json) {
		BatchRecord record = event.record();
		if (record == null || record.outcome() == null) {
			return read(json, event.data());
		}
		return new RecordOutcome(record.outcome().tag(), record.errorCode() != null, record.attempts(),
				record.ipaasCalls());
	}

	static RecordOutcome read(JsonMapper json, String data) {
		String outcome = null;
		boolean hasError = false;
		long attempts = 0;
		long ipaasCalls = 0;
		try (JsonParser parser = json.createParser(data)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return new RecordOutcome(null, true, 0, 0);
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("outcome".equals(name) && value == JsonToken.VALUE_STRING) {
					outcome = parser.getString();
				}
				else if ("attempts".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
					attempts = parser.getLongValue();
				}
				else if ("ipaasCalls".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
					ipaasCalls = parser.getLongValue();
				}
				else if ("error".equals(name) && value != JsonToken.VALUE_NULL) {
					hasError = true;
				}
				parser.skipChildren();
			}
		}
		return new RecordOutcome(outcome, hasError, attempts, ipaasCalls);
	}

	/** Of the attempts, those to Stamped.io. */
	long stampedCalls() {
		return Math.max(0, this.attempts - this.ipaasCalls);
	}

	/** Whether the event must be read whole: an error, or an outcome that is logged. */
	boolean needsTree() {
		return this.hasError || this.outcome == null || "failed".equals(this.outcome)
				|| "rejected".equals(this.outcome);
	}

}

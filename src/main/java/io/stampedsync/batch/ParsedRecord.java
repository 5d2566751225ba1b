package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;

import io.stampedsync.transfer.IpaasCustomer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * One element of a batch body, read but not yet validated: either a bound customer, or a
 * rejection that names the field (or {@code record}) and why.
 *
 * @param index 0-based position of the record in the body
 * @param rawJson the record's JSON text as received; {@code null} when the record is
 * larger than the size cap and was skipped rather than kept
 * @param rawBytes the length of {@code rawJson} in UTF-8 bytes, as received (0 without
 * it): what the record weighs in an intake chunk
 * @param customer the bound customer, {@code null} when rejected
 * @param rejectionField {@code record}, or the path of the JSON field that could not be
 * read (e.g. {@code addresses[0].city}); {@code null} when bound
 * @param rejectionReason why the record was rejected; {@code null} when bound
 */
record ParsedRecord(int index, String rawJson, int rawBytes, IpaasCustomer customer, String rejectionField,
		String rejectionReason) {

	static final String RECORD = "record";

	static ParsedRecord bound(int index, String rawJson, int rawBytes, IpaasCustomer customer) {
		return new ParsedRecord(index, rawJson, rawBytes, customer, null, null);
	}

	// Rejections are rare: their size is counted again rather than carried.
	static ParsedRecord rejected(int index, String rawJson, String field, String reason) {
		int bytes = (rawJson != null) ? rawJson.getBytes(StandardCharsets.UTF_8).length : 0;
		return new ParsedRecord(index, rawJson, bytes, null, field, reason);
	}

	/**
	 * A well-formed record that does not bind to a customer: names the field path (such
	 * as {@code addresses[0].city}) and what was expected there.
	 */
	static ParsedRecord unbindable(int index, String rawJson, JacksonException ex) {
		return rejected(index, rawJson, fieldPath(ex), reason(ex));
	}

	/** Whether the record could not be read as a customer. */
	boolean isRejected() {
		return this.customer == null;
	}

	private static String fieldPath(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? RECORD : path.toString();
	}

	private static String reason(JacksonException ex) {
		if (ex instanceof InputCoercionException) {
			return "number out of range";
		}
		if (!(ex instanceof MismatchedInputException mismatch) || mismatch.getTargetType() == null) {
			return "cannot be read";
		}
		Class<?> type = mismatch.getTargetType();
		if (CharSequence.class.isAssignableFrom(type)) {
			return "wrong type: expected a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "wrong type: expected true or false";
		}
		if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
			return "wrong type: expected a number";
		}
		if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
			return "wrong type: expected an array";
		}
		return "wrong type: expected an object";
	}

}

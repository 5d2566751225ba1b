package io.stampedsync.web;

/**
 * One broken rule of a request or a setting: the field's JSON name and the rule, never
 * the rejected value (it may be a secret).
 *
 * @param field JSON name of the field, e.g. {@code apiThrottleLimit}
 * @param rule what the field must satisfy, e.g. {@code must be at least 1}
 */
public record FieldViolation(String field, String rule) {

	@Override
	public String toString() {
		return this.field + ": " + this.rule;
	}

}

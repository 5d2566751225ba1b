package io.stampedsync.stamped;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of a Stamped.io customer create or update (domain doc, decisions table):
 * camelCase, {@code phone} and {@code tags} only when mapped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StampedCustomer(String email, String firstName, String lastName, String customCustomerId, String phone,
		List<String> tags) {

}

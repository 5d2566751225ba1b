package io.stampedsync.stamped;

/** A linked Stamped.io customer that no longer exists (404 on update or get). */
public class CustomerNotFoundException extends RuntimeException {

	public CustomerNotFoundException(String stampedCustomerId) {
		super("Stamped.io customer " + stampedCustomerId + " not found", null, false, false);
	}

}

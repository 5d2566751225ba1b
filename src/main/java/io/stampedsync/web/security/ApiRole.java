package io.stampedsync.web.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The roles of the inbound API, each including the ones below it: {@code admin} ⊇
 * {@code writer} ⊇ {@code reader}.
 */
public enum ApiRole {

	/** Reads, event streams and the dashboard. */
	READER,

	/** Plus batches, retry, cancel and manual sync. */
	WRITER,

	/** Plus subscription settings: everything. */
	ADMIN;

	/**
	 * The role as configured and shown: {@code admin}, {@code writer}, {@code reader}.
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The role named {@code tag} (any case), or empty. */
	static Optional<ApiRole> of(String tag) {
		return Arrays.stream(values()).filter((role) -> role.tag().equalsIgnoreCase(tag)).findFirst();
	}

	/** {@code ROLE_<R>} for this role and every role it includes. */
	List<GrantedAuthority> authorities() {
		return Arrays.stream(values())
			.filter((role) -> role.ordinal() <= ordinal())
			.map((role) -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role.name()))
			.toList();
	}

}

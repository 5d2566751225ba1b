package io.stampedsync.transfer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.stampedsync.stamped.StampedCustomer;

/**
 * The fingerprint of what one transfer would send: SHA-256 (64 hex digits) over a
 * canonical form of the Stamped.io payload and the desired subscription state. The
 * canonical form has a fixed field order and length-prefixed values, so it does not
 * depend on JSON formatting, map order or the JVM, and no two different payloads share a
 * form. Bump {@link #VERSION} when the form changes: every customer is then sent once
 * more, which is safe.
 */
public final class Fingerprint {

	private static final byte[] VERSION = "stamped-sync/fingerprint/1".getBytes(StandardCharsets.UTF_8);

	private static final byte ABSENT = 0;

	private static final byte PRESENT = 1;

	private static final byte FALSE = 2;

	private static final byte TRUE = 3;

	private Fingerprint() {
	}

	/**
	 * The fingerprint of {@code payload} sent with {@code desiredSubscribed}
	 * ({@code null}: not reconciled).
	 */
	public static String of(StampedCustomer payload, Boolean desiredSubscribed) {
		MessageDigest digest = sha256();
		digest.update(VERSION);
		text(digest, payload.email());
		text(digest, payload.firstName());
		text(digest, payload.lastName());
		text(digest, payload.customCustomerId());
		text(digest, payload.phone());
		texts(digest, payload.tags());
		digest.update((desiredSubscribed == null) ? ABSENT : desiredSubscribed ? TRUE : FALSE);
		return HexFormat.of().formatHex(digest.digest());
	}

	private static void texts(MessageDigest digest, List<String> values) {
		if (values == null) {
			digest.update(ABSENT);
			return;
		}
		digest.update(PRESENT);
		length(digest, values.size());
		for (String value : values) {
			text(digest, value);
		}
	}

	private static void text(MessageDigest digest, String value) {
		if (value == null) {
			digest.update(ABSENT);
			return;
		}
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		digest.update(PRESENT);
		length(digest, bytes.length);
		digest.update(bytes);
	}

	private static void length(MessageDigest digest, int length) {
		digest.update((byte) (length >>> 24));
		digest.update((byte) (length >>> 16));
		digest.update((byte) (length >>> 8));
		digest.update((byte) length);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform must support SHA-256", ex);
		}
	}

}

package io.stampedsync.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmailAddressTests {

	@ParameterizedTest
	@ValueSource(strings = { "ada@example.com", "Ada.Lovelace@Example.COM", "a+tag@sub.example.co.uk", "a_b-c@x-y.io",
			"o'brien@example.ie", "{x}|~!#$%&*=?^`/@example.org", "jörg@müller.de", "1@2.xn--p1ai" })
	void acceptsValidAddresses(String address) {
		assertThat(EmailAddress.isValid(address)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "@example.com", "ada@", "ada@@example.com", "a@b@example.com", "ada@localhost",
			"ada@example", ".ada@example.com", "ada.@example.com", "a..b@example.com", "ada@.example.com",
			"ada@example..com", "ada@example.com.", "ada@-example.com", "ada@example-.com", "ada lovelace@example.com",
			"ada@exa mple.com", "\"ada\"@example.com", "ada@[127.0.0.1]", "ada@127.0.0.1", "ada@example.c_m",
			"ada(comment)@example.com", "ada@example.com\n" })
	void rejectsInvalidAddresses(String address) {
		assertThat(EmailAddress.isValid(address)).isFalse();
	}

	@Test
	void rejectsALocalPartLongerThan64Characters() {
		assertThat(EmailAddress.isValid("a".repeat(64) + "@example.com")).isTrue();
		assertThat(EmailAddress.isValid("a".repeat(65) + "@example.com")).isFalse();
	}

	@Test
	void rejectsADomainLabelLongerThan63Characters() {
		assertThat(EmailAddress.isValid("ada@" + "b".repeat(63) + ".com")).isTrue();
		assertThat(EmailAddress.isValid("ada@" + "b".repeat(64) + ".com")).isFalse();
	}

	@Test
	void rejectsAnAddressLongerThan254Characters() {
		String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".com";
		String fits = "a".repeat(EmailAddress.MAX_LENGTH - domain.length() - 1) + "@" + domain;
		assertThat(EmailAddress.isValid(fits)).isTrue();
		assertThat(EmailAddress.isValid("a" + fits)).isFalse();
	}

}

package io.stampedsync.transfer;

import java.util.List;
import java.util.function.UnaryOperator;

import io.stampedsync.transfer.IpaasCustomer.Address;
import io.stampedsync.transfer.IpaasCustomer.CustomField;
import io.stampedsync.transfer.IpaasCustomer.ExternalId;
import io.stampedsync.stamped.StampedCustomer;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.MappingResult.Mapped;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintTests {

	private static final SubscriptionSettings SETTINGS = TestSettings.withStateField("Newsletter");

	private static final IpaasCustomer BASE = new IpaasCustomer("150713", "C-1", "Ada", "Lovelace", "ada@example.com",
			"Engines", "vip", List.of(new CustomField("Newsletter", "yes")),
			List.of(new ExternalId(TestSettings.STAMPED_SYSTEM_ID, "143491")),
			List.of(new Address("+44 1", "Ada", "L", null, "1 St", null, "London", "LDN", "GB", "N1", true, true)));

	private final CustomerMapper mapper = new CustomerMapper();

	@Test
	void isTheSameAcrossRunsAndJvms() {
		// Pinned: a change here re-sends every customer once, so it must be deliberate.
		StampedCustomer payload = new StampedCustomer("ada@example.com", "Ada", "Lovelace", "C-1", null, null);
		assertThat(Fingerprint.of(payload, true))
			.isEqualTo("b47c3debde76990ea5aa71390597ede145c2e10e9bf45a2affa102ea0660cba9")
			.hasSize(64);
	}

	@Test
	void isTheSameForTheSameCustomer() {
		assertThat(fingerprint(BASE)).isEqualTo(fingerprint(copy(BASE, UnaryOperator.identity())));
	}

	@Test
	void changesWithEveryMappedField() {
		String base = fingerprint(BASE);
		assertThat(fingerprint(with(BASE, "email", "ada@example.org"))).isNotEqualTo(base);
		assertThat(fingerprint(with(BASE, "email", "ADA@example.com"))).isNotEqualTo(base);
		assertThat(fingerprint(with(BASE, "first", "Augusta"))).isNotEqualTo(base);
		assertThat(fingerprint(with(BASE, "last", "King"))).isNotEqualTo(base);
		assertThat(fingerprint(with(BASE, "number", "C-2"))).isNotEqualTo(base);
		assertThat(fingerprint(with(BASE, "state", "no"))).isNotEqualTo(base);
		assertThat(fingerprint(with(BASE, "state", "unknown"))).isNotEqualTo(base);
	}

	@Test
	void ignoresUnmappedFields() {
		String base = fingerprint(BASE);
		assertThat(fingerprint(with(BASE, "company", "Other Co"))).isEqualTo(base);
		assertThat(fingerprint(with(BASE, "comment", "changed"))).isEqualTo(base);
		assertThat(fingerprint(new IpaasCustomer(BASE.id(), BASE.customerNumber(), BASE.firstName(), BASE.lastName(),
				BASE.emailAddress(), BASE.company(), BASE.comment(), BASE.customFields(), List.of(), List.of())))
			.isEqualTo(base);
		assertThat(fingerprint(with(BASE, "first", "  Ada "))).isEqualTo(base);
	}

	@Test
	void tellsFieldsApartWhenValuesMoveBetweenThem() {
		StampedCustomer one = new StampedCustomer("a@example.com", "AB", "C", null, null, null);
		StampedCustomer two = new StampedCustomer("a@example.com", "A", "BC", null, null, null);
		StampedCustomer three = new StampedCustomer("a@example.com", "ABC", null, null, null, null);
		StampedCustomer four = new StampedCustomer("a@example.com", "ABC", "", null, null, null);
		assertThat(List.of(Fingerprint.of(one, null), Fingerprint.of(two, null), Fingerprint.of(three, null),
				Fingerprint.of(four, null)))
			.doesNotHaveDuplicates();
	}

	@Test
	void coversPhoneAndTags() {
		StampedCustomer plain = new StampedCustomer("a@example.com", null, null, null, null, null);
		StampedCustomer phone = new StampedCustomer("a@example.com", null, null, null, "1", null);
		StampedCustomer noTags = new StampedCustomer("a@example.com", null, null, null, null, List.of());
		StampedCustomer tags = new StampedCustomer("a@example.com", null, null, null, null, List.of("vip"));
		assertThat(List.of(Fingerprint.of(plain, null), Fingerprint.of(phone, null), Fingerprint.of(noTags, null),
				Fingerprint.of(tags, null)))
			.doesNotHaveDuplicates();
	}

	private String fingerprint(IpaasCustomer customer) {
		return ((Mapped) this.mapper.map(customer, SETTINGS)).fingerprint();
	}

	private static IpaasCustomer with(IpaasCustomer c, String field, String value) {
		return switch (field) {
			case "email" -> new IpaasCustomer(c.id(), c.customerNumber(), c.firstName(), c.lastName(), value,
					c.company(), c.comment(), c.customFields(), c.externalIds(), c.addresses());
			case "first" -> new IpaasCustomer(c.id(), c.customerNumber(), value, c.lastName(), c.emailAddress(),
					c.company(), c.comment(), c.customFields(), c.externalIds(), c.addresses());
			case "last" -> new IpaasCustomer(c.id(), c.customerNumber(), c.firstName(), value, c.emailAddress(),
					c.company(), c.comment(), c.customFields(), c.externalIds(), c.addresses());
			case "number" -> new IpaasCustomer(c.id(), value, c.firstName(), c.lastName(), c.emailAddress(),
					c.company(), c.comment(), c.customFields(), c.externalIds(), c.addresses());
			case "company" -> new IpaasCustomer(c.id(), c.customerNumber(), c.firstName(), c.lastName(),
					c.emailAddress(), value, c.comment(), c.customFields(), c.externalIds(), c.addresses());
			case "comment" -> new IpaasCustomer(c.id(), c.customerNumber(), c.firstName(), c.lastName(),
					c.emailAddress(), c.company(), value, c.customFields(), c.externalIds(), c.addresses());
			case "state" -> new IpaasCustomer(c.id(), c.customerNumber(), c.firstName(), c.lastName(), c.emailAddress(),
					c.company(), c.comment(), List.of(new CustomField("Newsletter", value)), c.externalIds(),
					c.addresses());
			default -> throw new IllegalArgumentException(field);
		};
	}

	private static IpaasCustomer copy(IpaasCustomer c, UnaryOperator<String> text) {
		return new IpaasCustomer(text.apply(c.id()), text.apply(c.customerNumber()), text.apply(c.firstName()),
				text.apply(c.lastName()), text.apply(c.emailAddress()), c.company(), c.comment(),
				List.copyOf(c.customFields()), List.copyOf(c.externalIds()), List.copyOf(c.addresses()));
	}

}

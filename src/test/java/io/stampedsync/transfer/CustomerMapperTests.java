package io.stampedsync.transfer;

import java.util.List;

import io.stampedsync.stamped.StampedCustomer;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.IpaasCustomer.Address;
import io.stampedsync.transfer.IpaasCustomer.CustomField;
import io.stampedsync.transfer.IpaasCustomer.ExternalId;
import io.stampedsync.transfer.MappingResult.Mapped;
import io.stampedsync.transfer.MappingResult.Rejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerMapperTests {

	private static final SubscriptionSettings NO_STATE_FIELD = TestSettings.withStateField(null);

	private final CustomerMapper mapper = new CustomerMapper();

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   " })
	void rejectsAMissingOrBlankId(String id) {
		assertThat(this.mapper.map(customer(id, "ada@example.com"), NO_STATE_FIELD))
			.isEqualTo(new Rejected("id", "required"));
	}

	@Test
	void rejectsAnIdTooLongToStore() {
		assertThat(this.mapper.map(customer("9".repeat(65), "ada@example.com"), NO_STATE_FIELD))
			.isEqualTo(new Rejected("id", "longer than 64 characters"));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " \t " })
	void rejectsAMissingEmail(String email) {
		assertThat(this.mapper.map(customer("1", email), NO_STATE_FIELD))
			.isEqualTo(new Rejected("email_address", "required"));
	}

	@Test
	void rejectsAnInvalidEmail() {
		Rejected rejected = (Rejected) this.mapper.map(customer("1", "ada.example.com"), NO_STATE_FIELD);
		assertThat(rejected).isEqualTo(new Rejected("email_address", "not a valid email address"));
		assertThat(rejected.message()).isEqualTo("email_address: not a valid email address");
	}

	@Test
	void checksTheIdBeforeTheEmail() {
		assertThat(this.mapper.map(customer(null, null), NO_STATE_FIELD)).isEqualTo(new Rejected("id", "required"));
	}

	@Test
	void mapsNamesEmailAndCustomerNumberTrimmedAndLeavesPhoneAndTagsOut() {
		IpaasCustomer customer = new IpaasCustomer("150713", " C-1 ", " Ada ", "Lovelace ", "  Ada@Example.com ",
				"Engines", "vip", List.of(), List.of(),
				List.of(new Address("+44 1", "Ada", "L", null, "1 St", null, "London", "LDN", "GB", "N1", true, true)));
		Mapped mapped = (Mapped) this.mapper.map(customer, NO_STATE_FIELD);
		assertThat(mapped.payload())
			.isEqualTo(new StampedCustomer("Ada@Example.com", "Ada", "Lovelace", "C-1", null, null));
	}

	@Test
	void sendsBlankNamesAndCustomerNumberAsAbsent() {
		IpaasCustomer customer = new IpaasCustomer("1", "  ", "", null, "ada@example.com", null, null, null, null,
				null);
		Mapped mapped = (Mapped) this.mapper.map(customer, NO_STATE_FIELD);
		assertThat(mapped.payload()).isEqualTo(new StampedCustomer("ada@example.com", null, null, null, null, null));
	}

	@Test
	void leavesTheSubscriptionAloneWhenNoStateFieldIsConfigured() {
		IpaasCustomer customer = withCustomFields(new CustomField("Newsletter", "yes"));
		assertThat(((Mapped) this.mapper.map(customer, NO_STATE_FIELD)).desiredSubscribed()).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "true,true", "YES,true", "y,true", "1,true", "Subscribed,true", "false,false", "No,false", "n,false",
			"0,false", "UNSUBSCRIBED,false" })
	void readsTheDesiredStateFromTheConfiguredCustomField(String value, boolean expected) {
		IpaasCustomer customer = withCustomFields(new CustomField("Other", "no"), new CustomField("Newsletter", value));
		Mapped mapped = (Mapped) this.mapper.map(customer, TestSettings.withStateField("Newsletter"));
		assertThat(mapped.desiredSubscribed()).isEqualTo(expected);
	}

	@Test
	void matchesTheStateFieldNameIgnoringCase() {
		IpaasCustomer customer = withCustomFields(new CustomField(" NEWSLETTER ", "yes"));
		Mapped mapped = (Mapped) this.mapper.map(customer, TestSettings.withStateField("newsletter"));
		assertThat(mapped.desiredSubscribed()).isTrue();
	}

	@Test
	void leavesTheSubscriptionAloneWhenTheFieldIsAbsent() {
		IpaasCustomer customer = withCustomFields(new CustomField("Other", "yes"));
		Mapped mapped = (Mapped) this.mapper.map(customer, TestSettings.withStateField("Newsletter"));
		assertThat(mapped.desiredSubscribed()).isNull();
	}

	@Test
	void leavesTheSubscriptionAloneWithoutRejectingWhenTheValueIsNotUnderstood() {
		IpaasCustomer customer = withCustomFields(new CustomField("Newsletter", "perhaps"));
		Mapped mapped = (Mapped) this.mapper.map(customer, TestSettings.withStateField("Newsletter"));
		assertThat(mapped.desiredSubscribed()).isNull();
	}

	@Test
	void takesTheLinkedStampedIdOfTheSubscriptionsSystem() {
		IpaasCustomer customer = withExternalIds(new ExternalId(7L, "other"),
				new ExternalId(TestSettings.STAMPED_SYSTEM_ID, " 143491 "));
		Mapped mapped = (Mapped) this.mapper.map(customer, NO_STATE_FIELD);
		assertThat(mapped.linkedStampedId()).isEqualTo("143491");
	}

	@Test
	void isNotLinkedWhenOnlyOtherSystemsAreLinked() {
		IpaasCustomer customer = withExternalIds(new ExternalId(7L, "143491"), new ExternalId(null, "1"));
		assertThat(((Mapped) this.mapper.map(customer, NO_STATE_FIELD)).linkedStampedId()).isNull();
	}

	@Test
	void isNotLinkedWhenTheSubscriptionHasNoSystemId() {
		IpaasCustomer customer = withExternalIds(new ExternalId(TestSettings.STAMPED_SYSTEM_ID, "143491"));
		assertThat(((Mapped) this.mapper.map(customer, TestSettings.withoutSystemId())).linkedStampedId()).isNull();
	}

	@Test
	void skipsBlankDeletedAndOverlongLinks() {
		long system = TestSettings.STAMPED_SYSTEM_ID;
		IpaasCustomer customer = withExternalIds(new ExternalId(system, " "), new ExternalId(system, "DELETED:143491"),
				new ExternalId(system, "9".repeat(65)), new ExternalId(system, "200"));
		assertThat(((Mapped) this.mapper.map(customer, NO_STATE_FIELD)).linkedStampedId()).isEqualTo("200");
	}

	@Test
	void fingerprintsThePayloadWithTheDesiredState() {
		IpaasCustomer customer = withCustomFields(new CustomField("Newsletter", "yes"));
		Mapped mapped = (Mapped) this.mapper.map(customer, TestSettings.withStateField("Newsletter"));
		assertThat(mapped.fingerprint()).isEqualTo(Fingerprint.of(mapped.payload(), true))
			.isNotEqualTo(Fingerprint.of(mapped.payload(), null));
	}

	private static IpaasCustomer customer(String id, String email) {
		return new IpaasCustomer(id, "C-1", "Ada", "Lovelace", email, null, null, null, null, null);
	}

	private static IpaasCustomer withCustomFields(CustomField... fields) {
		return new IpaasCustomer("1", "C-1", "Ada", "Lovelace", "ada@example.com", null, null, List.of(fields), null,
				null);
	}

	private static IpaasCustomer withExternalIds(ExternalId... ids) {
		return new IpaasCustomer("1", "C-1", "Ada", "Lovelace", "ada@example.com", null, null, null, List.of(ids),
				null);
	}

}

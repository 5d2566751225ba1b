package io.stampedsync.subscription;

import java.util.List;

import io.stampedsync.web.FieldViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionValidatorTests {

	static final String PRIVATE_KEY = "key-abcdefghijklmnop1234";

	private final SubscriptionValidator validator = new SubscriptionValidator(
			new UrlPolicyProperties(false, List.of("stamped.io", "*.stamped.io"), List.of("*.ipaas.com"), null));

	private final SubscriptionValidator loopbackValidator = new SubscriptionValidator(
			new UrlPolicyProperties(true, List.of("stamped.io", "*.stamped.io"), List.of("*.ipaas.com"), null));

	static SubscriptionInputBuilder input() {
		return new SubscriptionInputBuilder();
	}

	@Test
	void appliesDefaultsToAMinimalInput() {
		SubscriptionSettings settings = valid(input());
		assertThat(settings.id()).isEqualTo("acme");
		assertThat(settings.apiUrl()).isEqualTo("https://stamped.io");
		assertThat(settings.apiPublicKey()).isEqualTo("pubkey-1");
		assertThat(settings.apiPrivateKey().reveal()).isEqualTo(PRIVATE_KEY);
		assertThat(settings.apiStoreHash()).isEqualTo("270392");
		assertThat(settings.apiThrottleLimit()).isEqualTo(500);
		assertThat(settings.apiThrottleSeconds()).isEqualTo(60);
		assertThat(settings.ipaasThrottleLimit()).isEqualTo(500);
		assertThat(settings.ipaasThrottleSeconds()).isEqualTo(60);
		assertThat(settings.concurrentConnections()).isEqualTo(2);
		assertThat(settings.concurrentBatchExecutions()).isEqualTo(10);
		assertThat(settings.ipaasApiUrl()).isNull();
		assertThat(settings.ipaasApiToken()).isNull();
		assertThat(settings.ipaasSystemId()).isNull();
		assertThat(settings.webhookApiKey()).isNull();
		assertThat(settings.subscriptionStateField()).isNull();
		assertThat(settings.hasIpaasSide()).isFalse();
		assertThat(settings.version()).isEqualTo(7);
	}

	@Test
	void trimsValuesAndDropsTrailingSlashesOfUrls() {
		SubscriptionSettings settings = valid(input().apiUrl(" https://stamped.io/ ")
			.apiPublicKey(" pubkey-1 ")
			.apiStoreHash(" 270392 ")
			.webhookApiKey("  "));
		assertThat(settings.apiUrl()).isEqualTo("https://stamped.io");
		assertThat(settings.apiPublicKey()).isEqualTo("pubkey-1");
		assertThat(settings.apiStoreHash()).isEqualTo("270392");
		assertThat(settings.webhookApiKey()).isNull();
	}

	@Test
	void keepsEveryGivenSetting() {
		SubscriptionSettings settings = valid(input().apiThrottleLimit(100)
			.apiThrottleSeconds(10)
			.ipaasThrottleLimit(50)
			.ipaasThrottleSeconds(5)
			.concurrentConnections(64)
			.concurrentBatchExecutions(100)
			.ipaasApiUrl("https://api.ipaas.com")
			.ipaasApiToken("token-abcdefgh12345678")
			.ipaasSystemId(42L)
			.webhookApiKey("hook-abcdefgh12345678")
			.subscriptionStateField("Review Emails"));
		assertThat(settings)
			.extracting(SubscriptionSettings::apiThrottleLimit, SubscriptionSettings::apiThrottleSeconds,
					SubscriptionSettings::ipaasThrottleLimit, SubscriptionSettings::ipaasThrottleSeconds,
					SubscriptionSettings::concurrentConnections, SubscriptionSettings::concurrentBatchExecutions)
			.containsExactly(100, 10, 50, 5, 64, 100);
		assertThat(settings.ipaasApiUrl()).isEqualTo("https://api.ipaas.com");
		assertThat(settings.ipaasApiToken().reveal()).isEqualTo("token-abcdefgh12345678");
		assertThat(settings.ipaasSystemId()).isEqualTo(42L);
		assertThat(settings.webhookApiKey().reveal()).isEqualTo("hook-abcdefgh12345678");
		assertThat(settings.subscriptionStateField()).isEqualTo("Review Emails");
		assertThat(settings.hasIpaasSide()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "acme", "acme-eu", "0", "a23456789012345678901234567890123456789012345678901234567890123" })
	void acceptsPathSafeIds(String id) {
		assertThat(SubscriptionValidator.isValidId(id)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-acme", "Acme", "acme_eu", "acme/eu", "acme eu", "..",
			"a234567890123456789012345678901234567890123456789012345678901234" })
	void rejectsIdsThatAreNotPathSafe(String id) {
		assertThat(this.validator.validate(id, input().build(), 1).violations())
			.containsExactly(new FieldViolation("id", "must match [a-z0-9][a-z0-9-]{0,62}"));
	}

	@Test
	void requiresTheStampedSettings() {
		SubscriptionInput empty = new SubscriptionInputBuilder().apiUrl(null)
			.apiPublicKey(" ")
			.apiPrivateKey(null)
			.apiStoreHash("")
			.build();
		assertThat(this.validator.validate("acme", empty, 1).violations()).containsExactlyInAnyOrder(
				new FieldViolation("apiUrl", "required"), new FieldViolation("apiPublicKey", "required"),
				new FieldViolation("apiPrivateKey", "required"), new FieldViolation("apiStoreHash", "required"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://www.stamped.io", "https://stamped.io:8443/api", "HTTPS://Stamped.IO" })
	void acceptsHttpsUrlsOfAllowedHosts(String url) {
		assertThat(this.validator.validate("acme", input().apiUrl(url).build(), 1).valid()).isTrue();
	}

	@Test
	void rejectsUrlsThatAreNotAbsoluteHttps() {
		assertThat(violations(input().apiUrl("stamped.io")))
			.containsExactly(new FieldViolation("apiUrl", UrlPolicy.NOT_ABSOLUTE));
		assertThat(violations(input().apiUrl("ftp://stamped.io")))
			.containsExactly(new FieldViolation("apiUrl", UrlPolicy.NOT_ABSOLUTE));
		assertThat(violations(input().apiUrl("https://stamped io")))
			.containsExactly(new FieldViolation("apiUrl", UrlPolicy.NOT_ABSOLUTE));
		assertThat(violations(input().apiUrl("http://stamped.io")))
			.containsExactly(new FieldViolation("apiUrl", UrlPolicy.HTTP_NOT_ALLOWED));
	}

	@Test
	void rejectsUrlsWithUserInfoQueryOrFragment() {
		for (String url : List.of("https://user:pw@stamped.io", "https://stamped.io?x=1", "https://stamped.io#x")) {
			assertThat(violations(input().apiUrl(url)))
				.containsExactly(new FieldViolation("apiUrl", UrlPolicy.NOT_A_BASE));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://evil.example", "https://evilstamped.io", "https://stamped.io.evil.example",
			"https://10.0.0.1", "https://ipaas.com" })
	void rejectsHostsOutsideTheAllowList(String url) {
		assertThat(violations(input().apiUrl(url))).singleElement()
			.satisfies((violation) -> assertThat(violation.field()).isEqualTo("apiUrl"))
			.satisfies((violation) -> assertThat(violation.rule()).startsWith("host must match"));
	}

	@Test
	void eachDirectionHasItsOwnAllowList() {
		assertThat(violations(input().apiUrl("https://api.ipaas.com"))).containsExactly(new FieldViolation("apiUrl",
				"host must match stamped-sync.security.stamped-allowed-hosts [stamped.io, *.stamped.io]"));
		assertThat(violations(input().ipaasApiUrl("https://eu.stamped.io").ipaasApiToken("t").ipaasSystemId(1L)))
			.containsExactly(new FieldViolation("ipaasApiUrl",
					"host must match stamped-sync.security.ipaas-allowed-hosts [*.ipaas.com]"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://stamped.io:0", "https://stamped.io:99999", "https://stamped.io:65536" })
	void rejectsPortsOutsideOneTo65535(String url) {
		assertThat(violations(input().apiUrl(url))).containsExactly(new FieldViolation("apiUrl", UrlPolicy.BAD_PORT));
		assertThat(violations(input().apiUrl("https://stamped.io:65535"))).isEmpty();
	}

	@Test
	void aUrlNamingAnotherServerNeedsItsSecretsResent() {
		SubscriptionSettings current = valid(
				input().ipaasApiUrl("https://api.ipaas.com").ipaasApiToken("token-abcdefgh12345678").ipaasSystemId(1L));
		SubscriptionInput moved = input().apiUrl("https://eu.stamped.io")
			.apiPrivateKey(null)
			.ipaasApiUrl("https://api.ipaas.com:8443")
			.ipaasSystemId(1L)
			.build();
		assertThat(moved.secretsNotResent(current)).extracting(FieldViolation::field)
			.containsExactly("apiPrivateKey", "ipaasApiToken");
		assertThat(moved.withSecretsFrom(current).apiPrivateKey()).isNull();
		SubscriptionInput masked = input().apiUrl("https://eu.stamped.io")
			.apiPrivateKey(current.apiPrivateKey().masked())
			.build();
		assertThat(masked.secretsNotResent(current)).extracting(FieldViolation::field).containsExactly("apiPrivateKey");
		SubscriptionInput sameHost = input().apiUrl("https://STAMPED.io/").apiPrivateKey(null).build();
		assertThat(sameHost.secretsNotResent(current)).isEmpty();
		assertThat(input().apiUrl("https://eu.stamped.io").build().secretsNotResent(current)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8089", "http://127.0.0.1:1", "http://127.1.2.3", "http://[::1]:80",
			"https://localhost" })
	void allowsLoopbackUrlsOnlyWithTheFlag(String url) {
		assertThat(violations(input().apiUrl(url)))
			.containsExactly(new FieldViolation("apiUrl", UrlPolicy.LOOPBACK_NOT_ALLOWED));
		assertThat(this.loopbackValidator.validate("acme", input().apiUrl(url).build(), 1).valid()).isTrue();
	}

	@Test
	void appliesTheUrlRulesToTheIpaasUrl() {
		assertThat(violations(input().ipaasApiUrl("http://api.ipaas.com").ipaasApiToken("t").ipaasSystemId(1L)))
			.containsExactly(new FieldViolation("ipaasApiUrl", UrlPolicy.HTTP_NOT_ALLOWED));
		assertThat(violations(input().ipaasApiUrl("https://evil.example").ipaasApiToken("t").ipaasSystemId(1L)))
			.extracting(FieldViolation::field)
			.containsExactly("ipaasApiUrl");
	}

	@Test
	void requiresTokenAndSystemIdWithAnIpaasUrl() {
		assertThat(violations(input().ipaasApiUrl("https://api.ipaas.com"))).containsExactlyInAnyOrder(
				new FieldViolation("ipaasApiToken", "required when ipaasApiUrl is set"),
				new FieldViolation("ipaasSystemId", "required when ipaasApiUrl is set"));
	}

	@Test
	void requiresAPositiveSystemId() {
		assertThat(violations(input().ipaasSystemId(0L)))
			.containsExactly(new FieldViolation("ipaasSystemId", "must be a positive number"));
	}

	@Test
	void rejectsStoreHashesThatAreNotPathSafe() {
		for (String hash : List.of("27/0392", "../x", "a b", "x".repeat(65))) {
			assertThat(violations(input().apiStoreHash(hash)))
				.containsExactly(new FieldViolation("apiStoreHash", "must match [A-Za-z0-9_-]{1,64}"));
		}
		assertThat(violations(input().apiStoreHash("Ab_9-" + "x".repeat(59)))).isEmpty();
	}

	@Test
	void rejectsAPublicKeyThatCannotBeABasicAuthUser() {
		assertThat(violations(input().apiPublicKey("pub:key"))).extracting(FieldViolation::field)
			.containsExactly("apiPublicKey");
	}

	@Test
	void copiesOmittedDuplicates() {
		SubscriptionValidator.Result result = this.validator.validate("acme",
				input().apiUser(null).apiPassword("").build(), 1);
		assertThat(result.valid()).isTrue();
	}

	@Test
	void acceptsDuplicatesEqualToTheKeys() {
		assertThat(violations(input().apiUser("pubkey-1").apiPassword(PRIVATE_KEY))).isEmpty();
	}

	@Test
	void rejectsDifferingDuplicatesNamingBothFieldsWithoutTheirValues() {
		List<FieldViolation> violations = violations(input().apiUser("pubkey-2").apiPassword("key-other-secret-9999"));
		assertThat(violations).containsExactly(
				new FieldViolation("apiUser", "must equal apiPublicKey (omit it to copy apiPublicKey)"),
				new FieldViolation("apiPassword", "must equal apiPrivateKey (omit it to copy apiPrivateKey)"));
		assertThat(violations.toString()).doesNotContain("pubkey-", "key-other", PRIVATE_KEY, "9999", "1234");
	}

	@Test
	void requiresThrottlesOfAtLeastOne() {
		assertThat(violations(
				input().apiThrottleLimit(0).apiThrottleSeconds(-1).ipaasThrottleLimit(0).ipaasThrottleSeconds(0)))
			.containsExactly(new FieldViolation("apiThrottleLimit", "must be at least 1"),
					new FieldViolation("apiThrottleSeconds", "must be at least 1"),
					new FieldViolation("ipaasThrottleLimit", "must be at least 1"),
					new FieldViolation("ipaasThrottleSeconds", "must be at least 1"));
		assertThat(violations(input().apiThrottleLimit(1).apiThrottleSeconds(1))).isEmpty();
	}

	@Test
	void boundsTheConcurrency() {
		assertThat(violations(input().concurrentConnections(0).concurrentBatchExecutions(0))).containsExactly(
				new FieldViolation("concurrentConnections", "must be between 1 and 64"),
				new FieldViolation("concurrentBatchExecutions", "must be between 1 and 100"));
		assertThat(violations(input().concurrentConnections(65).concurrentBatchExecutions(101)))
			.extracting(FieldViolation::field)
			.containsExactly("concurrentConnections", "concurrentBatchExecutions");
		assertThat(violations(input().concurrentConnections(1).concurrentBatchExecutions(1))).isEmpty();
	}

	@Test
	void boundsTheSubscriptionStateFieldName() {
		assertThat(violations(input().subscriptionStateField("x".repeat(101)))).extracting(FieldViolation::field)
			.containsExactly("subscriptionStateField");
		assertThat(violations(input().subscriptionStateField("a\nb"))).extracting(FieldViolation::field)
			.containsExactly("subscriptionStateField");
	}

	@Test
	void rejectsMaskedSecrets() {
		assertThat(violations(input().apiPrivateKey("key-…1234").webhookApiKey("…").ipaasApiToken("t-…abcd")))
			.containsExactly(new FieldViolation("apiPrivateKey", "must be the clear value, not the masked one"),
					new FieldViolation("ipaasApiToken", "must be the clear value, not the masked one"),
					new FieldViolation("webhookApiKey", "must be the clear value, not the masked one"));
	}

	@Test
	void replaceKeepsSecretsOmittedOrSentMasked() {
		SubscriptionSettings current = valid(
				input().ipaasApiToken("token-abcdefgh12345678").webhookApiKey("hook-abcdefgh12345678"));
		SubscriptionInput masked = input().apiPrivateKey("key-…1234")
			.apiPassword("key-…1234")
			.ipaasApiToken(null)
			.webhookApiKey("hook-…5678")
			.build()
			.withSecretsFrom(current);
		SubscriptionSettings replaced = this.validator.validate("acme", masked, 8).settings();
		assertThat(replaced.apiPrivateKey().reveal()).isEqualTo(PRIVATE_KEY);
		assertThat(replaced.ipaasApiToken().reveal()).isEqualTo("token-abcdefgh12345678");
		assertThat(replaced.webhookApiKey().reveal()).isEqualTo("hook-abcdefgh12345678");
		SubscriptionInput cleared = input().webhookApiKey("").build().withSecretsFrom(current);
		assertThat(this.validator.validate("acme", cleared, 8).settings().webhookApiKey()).isNull();
		SubscriptionInput changed = input().apiPrivateKey("key-new-private-key-0000").build().withSecretsFrom(current);
		assertThat(this.validator.validate("acme", changed, 8).settings().apiPrivateKey().reveal())
			.isEqualTo("key-new-private-key-0000");
	}

	@Test
	void aWebhookKeyShorterThanSixteenCharactersIsRefused() {
		assertThat(violations(input().webhookApiKey("k")))
			.containsExactly(new FieldViolation("webhookApiKey", "must be at least 16 characters"));
		assertThat(violations(input().webhookApiKey("hook-123456789a"))).hasSize(1);
		assertThat(valid(input().webhookApiKey("hook-123456789ab")).webhookApiKey().reveal())
			.isEqualTo("hook-123456789ab");
	}

	@Test
	void settingsAndInputsMaskSecretsInToString() {
		SubscriptionInput in = input().apiPassword(PRIVATE_KEY)
			.ipaasApiToken("token-abcdefgh12345678")
			.webhookApiKey("hook-abcdefgh12345678")
			.build();
		SubscriptionSettings settings = this.validator.validate("acme", in, 1).settings();
		for (String text : List.of(in.toString(), settings.toString(), StoredSettings.of(settings).toString())) {
			assertThat(text).doesNotContain(PRIVATE_KEY, "token-abcdefgh12345678", "hook-abcdefgh12345678");
		}
		assertThat(settings.toString()).contains("key-…1234");
	}

	private SubscriptionSettings valid(SubscriptionInputBuilder builder) {
		SubscriptionValidator.Result result = this.validator.validate("acme", builder.build(), 7);
		assertThat(result.violations()).isEmpty();
		return result.settings();
	}

	private List<FieldViolation> violations(SubscriptionInputBuilder builder) {
		return this.validator.validate("acme", builder.build(), 1).violations();
	}

}

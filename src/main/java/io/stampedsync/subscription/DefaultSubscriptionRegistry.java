package io.stampedsync.subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.web.ApiProblemException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * The subscriptions of the gateway: those of configuration, validated at start and
 * read-only, and those made through the API, stored in the journal. A configured id
 * shadows a stored one.
 */
@Component
public class DefaultSubscriptionRegistry implements SubscriptionRegistry {

	private static final Log log = LogFactory.getLog(DefaultSubscriptionRegistry.class);

	private final Map<String, SubscriptionSettings> configured;

	private final SubscriptionValidator validator;

	private final SubscriptionRows rows;

	private final Sinks.Many<SubscriptionChange> changes = Sinks.many().multicast().directBestEffort();

	// A re-created subscription must not reuse the version of the deleted one, or a cache
	// keyed by (id, version) would keep a client with the old keys. Caches live in this
	// process, so remembering the versions of this process is enough.
	private final Map<String, Long> deletedVersions = new ConcurrentHashMap<>();

	DefaultSubscriptionRegistry(SubscriptionsProperties properties, SubscriptionValidator validator,
			SubscriptionRows rows) {
		this.validator = validator;
		this.rows = rows;
		this.configured = validateConfigured(properties, validator);
		if (!this.configured.isEmpty()) {
			log.info("Subscriptions from configuration: " + this.configured.keySet());
		}
	}

	@Override
	public Mono<SubscriptionSettings> find(String id) {
		SubscriptionSettings settings = this.configured.get(id);
		return (settings != null) ? Mono.just(settings) : this.rows.find(id);
	}

	@Override
	public Flux<SubscriptionSettings> findAll() {
		return this.rows.findAll()
			.filter((stored) -> !this.configured.containsKey(stored.id()))
			.concatWith(Flux.fromIterable(this.configured.values()))
			.sort(Comparator.comparing(SubscriptionSettings::id));
	}

	/**
	 * Each subscriber gets its own buffer, so a slow one neither loses a change nor holds
	 * the others back; changes are rare.
	 */
	@Override
	public Flux<SubscriptionChange> changes() {
		return this.changes.asFlux().onBackpressureBuffer();
	}

	/** Where the subscription with this id comes from (API when unknown). */
	public SubscriptionSource source(String id) {
		return this.configured.containsKey(id) ? SubscriptionSource.CONFIG : SubscriptionSource.API;
	}

	/**
	 * Creates or replaces an API-made subscription. Omitted secrets keep their current
	 * value. Fails with a 422 {@link ApiProblemException} listing the violations, 409 for
	 * a configured id or a concurrent change.
	 */
	public Mono<Saved> put(String id, SubscriptionInput input) {
		if (this.configured.containsKey(id)) {
			return Mono.error(readOnly(id));
		}
		return this.rows.find(id)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((current) -> save(id, input, current.orElse(null)))
			.doOnNext((saved) -> {
				log.info("Subscription " + id + (saved.created() ? " created" : " replaced") + " (version "
						+ saved.settings().version() + ")");
				emit(new SubscriptionChange(id, saved.settings()));
			});
	}

	/**
	 * Completes when the subscription could be deleted: 404 when unknown, 409 when
	 * configured.
	 */
	public Mono<Void> deletable(String id) {
		if (this.configured.containsKey(id)) {
			return Mono.error(readOnly(id));
		}
		return this.rows.find(id).switchIfEmpty(Mono.error(() -> notFound(id))).then();
	}

	/** Deletes an API-made subscription: 404 when unknown, 409 when configured. */
	public Mono<Void> delete(String id) {
		if (this.configured.containsKey(id)) {
			return Mono.error(readOnly(id));
		}
		return this.rows.find(id)
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.flatMap((current) -> this.rows.delete(id, current.version())
				.flatMap((deleted) -> deleted ? Mono.just(current) : Mono.error(concurrentChange(id))))
			.doOnNext((deleted) -> {
				this.deletedVersions.merge(id, deleted.version(), Math::max);
				log.info("Subscription " + id + " deleted");
				emit(new SubscriptionChange(id, null));
			})
			.then();
	}

	/** 404 problem for an unknown subscription id. */
	public static ApiProblemException notFound(String id) {
		return ApiProblemException.notFound("No subscription with id " + id);
	}

	private Mono<Saved> save(String id, SubscriptionInput input, SubscriptionSettings current) {
		long version = (current != null) ? current.version() + 1 : this.deletedVersions.getOrDefault(id, 0L) + 1;
		SubscriptionValidator.Result result = this.validator.validate(id, input.withSecretsFrom(current), version);
		if (!result.valid()) {
			return Mono.error(ApiProblemException.unprocessable(
					"The settings of subscription " + id + " break " + result.violations().size() + " rule(s)",
					result.violations()));
		}
		Mono<Boolean> written = (current != null) ? this.rows.update(result.settings(), current.version())
				: this.rows.insert(result.settings());
		return written.flatMap((ok) -> ok ? Mono.just(new Saved(result.settings(), current == null))
				: Mono.error(concurrentChange(id)));
	}

	// Saves run on several threads; the sink wants its signals one at a time.
	private synchronized void emit(SubscriptionChange change) {
		this.changes.tryEmitNext(change);
	}

	private static Map<String, SubscriptionSettings> validateConfigured(SubscriptionsProperties properties,
			SubscriptionValidator validator) {
		Map<String, SubscriptionSettings> result = new TreeMap<>();
		List<String> problems = new ArrayList<>();
		properties.subscriptions().forEach((id, input) -> {
			SubscriptionValidator.Result checked = validator.validate(id, input, 1);
			checked.violations()
				.forEach((violation) -> problems.add("subscription '" + id + "': " + SubscriptionsProperties.PREFIX
						+ ".subscriptions." + id + "." + kebab(violation.field()) + " " + violation.rule()));
			if (checked.valid()) {
				result.put(id, checked.settings());
			}
		});
		if (!problems.isEmpty()) {
			throw new InvalidSubscriptionConfigurationException(problems);
		}
		return Map.copyOf(result);
	}

	private static String kebab(String jsonName) {
		return jsonName.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
	}

	private static ApiProblemException readOnly(String id) {
		return ApiProblemException.conflict("Subscription " + id
				+ " is set in configuration (stamped-sync.subscriptions." + id + ") and is read-only through the API");
	}

	private static ApiProblemException concurrentChange(String id) {
		return ApiProblemException.conflict("Subscription " + id + " was changed at the same time; read it and retry");
	}

	/**
	 * A successful {@link #put}.
	 *
	 * @param settings the settings now in force
	 * @param created whether the subscription is new
	 */
	public record Saved(SubscriptionSettings settings, boolean created) {

	}

}

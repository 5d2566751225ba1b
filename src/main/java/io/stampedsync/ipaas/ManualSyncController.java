package io.stampedsync.ipaas;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.stampedsync.batch.BatchIntake;
import io.stampedsync.batch.BatchSource;
import io.stampedsync.batch.CustomerReference;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Manual Sync ({@code POST /api/v1/subscriptions/{id}/manual-sync}): a batch of customers
 * named by iPaaS.com id, each fetched and transferred; debug puts it at the front of the
 * subscription's queue and traces every call. Initialization is refused.
 */
@RestController
class ManualSyncController {

	private final SubscriptionRegistry registry;

	private final BatchIntake intake;

	private final JsonMapper json;

	private final IpaasProperties properties;

	ManualSyncController(SubscriptionRegistry registry, BatchIntake intake, JsonMapper json,
			IpaasProperties properties) {
		this.registry = registry;
		this.intake = intake;
		this.json = json;
		this.properties = properties;
	}

	@PostMapping("/api/v1/subscriptions/{subscriptionId}/manual-sync")
	Mono<ResponseEntity<ManualSyncView>> sync(@PathVariable String subscriptionId,
			@RequestBody(required = false) String body) {
		return find(subscriptionId).flatMap((settings) -> {
			ManualSyncRequest request = ManualSyncRequest.parse(this.json, body, this.properties.manualSyncMaxIds());
			if (!settings.hasIpaasSide()) {
				throw ApiProblemException.unprocessable(
						"The " + IpaasCustomerSource.NO_IPAAS_SIDE
								+ ": set ipaasApiUrl, ipaasApiToken and ipaasSystemId to fetch customers by id",
						List.of());
			}
			List<CustomerReference> references = request.ids().stream().map(CustomerReference::fetch).toList();
			return this.intake.acceptReferences(settings.id(), BatchSource.MANUAL, references, request.debug())
				.map((batch) -> ResponseEntity.accepted()
					.location(URI.create("/api/v1/batches/" + batch.id()))
					.body(new ManualSyncView(batch.id(), batch.subscriptionId(), batch.source().tag(),
							batch.status().tag(), batch.debug(), batch.total(), request.requested(),
							request.requested() - batch.total(), batch.createdAt())));
		});
	}

	/** Initialization is not a thing for Stamped.io (domain doc §3.3): always 422. */
	@PostMapping("/api/v1/subscriptions/{subscriptionId}/initialize")
	Mono<ResponseEntity<Void>> initialize(@PathVariable String subscriptionId) {
		return find(subscriptionId).flatMap((settings) -> Mono.error(HookPlan.initializationNotSupported()));
	}

	private Mono<SubscriptionSettings> find(String subscriptionId) {
		return this.registry.find(subscriptionId)
			.switchIfEmpty(Mono.error(() -> ApiProblemException.notFound("No subscription '" + subscriptionId + "'")));
	}

	/**
	 * The batch a Manual Sync made, as {@code GET /api/v1/batches/{id}} shows it in
	 * short.
	 *
	 * @param total distinct ids queued
	 * @param requested ids the body named
	 * @param duplicates ids named more than once, collapsed
	 */
	record ManualSyncView(String id, String subscriptionId, String source, String status, boolean debug, int total,
			int requested, int duplicates, Instant createdAt) {

	}

}

package io.stampedsync.ipaas;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.stampedsync.batch.Batch;
import io.stampedsync.batch.BatchIntake;
import io.stampedsync.batch.BatchSource;
import io.stampedsync.batch.CustomerReference;
import io.stampedsync.ipaas.HookPlan.Item;
import io.stampedsync.ipaas.HookPlan.Kind;
import io.stampedsync.ipaas.HookReceipt.NotificationResult;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.web.ApiProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * iPaaS.com outbound-trigger deliveries ({@code POST /api/v1/subscriptions/{id}/hooks},
 * domain doc §3.3), authenticated here by the subscription's webhook key rather than by
 * the API's own tokens. Answers once the delivery is in the journal.
 */
@RestController
class HookController {

	private static final Logger logger = LoggerFactory.getLogger(HookController.class);

	private final SubscriptionRegistry registry;

	private final BatchIntake intake;

	private final HookDeliveries deliveries;

	private final JsonMapper json;

	HookController(SubscriptionRegistry registry, BatchIntake intake, HookDeliveries deliveries, JsonMapper json) {
		this.registry = registry;
		this.intake = intake;
		this.deliveries = deliveries;
		this.json = json;
	}

	@PostMapping("/api/v1/subscriptions/{subscriptionId}/hooks")
	Mono<ResponseEntity<HookReceipt>> receive(@PathVariable String subscriptionId,
			@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody(required = false) String body) {
		// An unknown subscription answers like a wrong key: the caller learns nothing
		// before it has proved it holds a key.
		return this.registry.find(subscriptionId)
			.filter((settings) -> WebhookKey.matches(settings, authorization))
			.switchIfEmpty(Mono.error(WebhookKey::unauthorized))
			.flatMap((settings) -> {
				HookDelivery delivery = parse(body);
				if (!settings.hasIpaasSide()) {
					throw ApiProblemException.unprocessable(
							"The " + IpaasCustomerSource.NO_IPAAS_SIDE + ": set ipaasApiUrl, ipaasApiToken and "
									+ "ipaasSystemId so hooked customers can be fetched",
							List.of());
				}
				return deliver(settings, delivery, HookPlan.of(delivery));
			});
	}

	private HookDelivery parse(String body) {
		if (body == null || body.isBlank()) {
			throw ApiProblemException.badRequest("The delivery body is empty; expected {\"notifications\": [...]}");
		}
		try {
			HookDelivery delivery = this.json.readValue(body, HookDelivery.class);
			if (delivery == null) {
				throw ApiProblemException.badRequest("The delivery body must be a JSON object");
			}
			return delivery;
		}
		catch (JacksonException ex) {
			// The parser's message may quote the body: say where, not what.
			throw ApiProblemException.badRequest("The delivery body is not a hook delivery (malformed JSON or "
					+ "wrong types near line " + ex.getLocation().getLineNr() + ")");
		}
	}

	private Mono<ResponseEntity<HookReceipt>> deliver(SubscriptionSettings settings, HookDelivery delivery,
			List<Item> plan) {
		Set<String> seen = new HashSet<>();
		return Flux.fromIterable(plan).concatMap((item) -> {
			String guid = item.trackingGuid();
			if (guid == null) {
				return Mono.just(new Claimed(item, true));
			}
			if (!seen.add(guid)) {
				return Mono.just(new Claimed(item, false));
			}
			return this.deliveries.claim(settings.id(), guid).map((fresh) -> new Claimed(item, fresh));
		}).collectList().flatMap((claimed) -> accept(settings, delivery, claimed));
	}

	private Mono<ResponseEntity<HookReceipt>> accept(SubscriptionSettings settings, HookDelivery delivery,
			List<Claimed> claimed) {
		List<CustomerReference> references = new ArrayList<>();
		List<String> guids = new ArrayList<>();
		for (Claimed item : claimed) {
			if (item.fresh()) {
				references.add(reference(item.item()));
				if (item.item().trackingGuid() != null) {
					guids.add(item.item().trackingGuid());
				}
			}
		}
		if (references.isEmpty()) {
			return Mono.just(ResponseEntity.ok(receipt(settings, delivery, claimed, null)));
		}
		return this.intake.acceptReferences(settings.id(), BatchSource.HOOK, references, false)
			.onErrorResume((ex) -> this.deliveries.release(settings.id(), guids).then(Mono.error(ex)))
			.flatMap((batch) -> this.deliveries.complete(settings.id(), guids, batch.id()).onErrorResume((ex) -> {
				// The batch is stored; only a redelivery after the claim timeout could
				// queue these notifications again.
				logger.warn("Hook delivery of subscription {} is in batch {}, but its tracking guids were "
						+ "not marked delivered: {}", settings.id(), batch.id(), ex.getClass().getSimpleName());
				return Mono.empty();
			}).thenReturn(batch))
			.map((batch) -> ResponseEntity.accepted()
				.location(URI.create("/api/v1/batches/" + batch.id()))
				.body(receipt(settings, delivery, claimed, batch)));
	}

	private static CustomerReference reference(Item item) {
		String id = (item.id() != null && !item.id().isEmpty() && item.id().length() <= HookPlan.MAX_ID_LENGTH)
				? item.id() : null;
		return switch (item.kind()) {
			case TRANSFER -> CustomerReference.fetch(id);
			case DELETE -> CustomerReference.refused(id, ErrorCode.DELETE_NOT_SUPPORTED, HookPlan.deleteMessage(id));
			default ->
				CustomerReference.refused(id, ErrorCode.INITIALIZATION_NOT_SUPPORTED, HookPlan.INITIALIZATION_MESSAGE);
		};
	}

	private static HookReceipt receipt(SubscriptionSettings settings, HookDelivery delivery, List<Claimed> claimed,
			Batch batch) {
		List<NotificationResult> results = new ArrayList<>();
		int queued = 0;
		int refused = 0;
		int duplicates = 0;
		int record = 0;
		for (Claimed item : claimed) {
			Item planned = item.item();
			String result;
			String code = null;
			String message = null;
			Integer index = null;
			if (!item.fresh()) {
				result = HookReceipt.DUPLICATE;
				message = "already delivered (same tracking_guid): not transferred again";
				duplicates++;
			}
			else if (planned.kind() == Kind.TRANSFER) {
				result = HookReceipt.QUEUED;
				index = record++;
				queued++;
			}
			else {
				CustomerReference reference = reference(planned);
				result = HookReceipt.REFUSED;
				code = reference.refusal().name();
				message = reference.message();
				index = record++;
				refused++;
			}
			results.add(new NotificationResult(planned.index(), planned.id(), planned.notification().scope(),
					planned.trackingGuid(), result, code, message, index));
		}
		return new HookReceipt(delivery.id(), settings.id(), (batch != null) ? batch.id() : null, queued, refused,
				duplicates, results);
	}

	private record Claimed(Item item, boolean fresh) {
	}

}

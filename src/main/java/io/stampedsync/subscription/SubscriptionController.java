package io.stampedsync.subscription;

import java.net.URI;

import io.stampedsync.web.security.SubscriptionScope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.http.HttpStatus.NO_CONTENT;

/** {@code /api/v1/subscriptions}: manage settings (DESIGN.md §4). */
@RestController
@RequestMapping("/api/v1/subscriptions")
class SubscriptionController {

	private final DefaultSubscriptionRegistry registry;

	private final CredentialCheck check;

	private final SubscriptionDeletion deletion;

	private final ApplicationEventPublisher events;

	SubscriptionController(DefaultSubscriptionRegistry registry, CredentialCheck check, SubscriptionDeletion deletion,
			ApplicationEventPublisher events) {
		this.registry = registry;
		this.check = check;
		this.deletion = deletion;
		this.events = events;
	}

	@GetMapping
	Flux<SubscriptionView> list(ServerWebExchange exchange) {
		// A scoped token sees its subscriptions only.
		SubscriptionScope scope = SubscriptionScope.of(exchange);
		return this.registry.findAll().filter((settings) -> scope.allows(settings.id())).map(this::view);
	}

	@GetMapping("/{id}")
	Mono<SubscriptionView> get(@PathVariable String id) {
		return existing(id).map(this::view);
	}

	@PutMapping("/{id}")
	Mono<ResponseEntity<SubscriptionView>> put(@PathVariable String id, @RequestBody SubscriptionInput input) {
		return this.registry.put(id, input)
			.map((saved) -> saved.created()
					? ResponseEntity.created(URI.create("/api/v1/subscriptions/" + id)).body(view(saved.settings()))
					: ResponseEntity.ok(view(saved.settings())));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(NO_CONTENT)
	Mono<Void> delete(@PathVariable String id, @RequestParam(defaultValue = "false") boolean cancelBatches) {
		return this.deletion.delete(id, cancelBatches);
	}

	@PostMapping("/{id}/verify")
	Mono<VerifyResult> verify(@PathVariable String id) {
		return existing(id).flatMap((settings) -> this.check.verify(settings).doOnNext((result) -> {
			if (result.ok()) {
				this.events.publishEvent(new CredentialsVerified(id, settings.version()));
			}
		}));
	}

	private Mono<SubscriptionSettings> existing(String id) {
		return this.registry.find(id).switchIfEmpty(Mono.error(() -> DefaultSubscriptionRegistry.notFound(id)));
	}

	private SubscriptionView view(SubscriptionSettings settings) {
		return SubscriptionView.of(settings, this.registry.source(settings.id()));
	}

}

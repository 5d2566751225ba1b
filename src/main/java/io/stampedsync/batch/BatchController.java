package io.stampedsync.batch;

import java.net.URI;

import io.stampedsync.transfer.Outcome;
import io.stampedsync.web.ApiProblemException;
import io.stampedsync.web.security.SubscriptionScope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** The batch API of DESIGN.md §4. */
@RestController
@RequestMapping("/api/v1")
class BatchController {

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	private final BatchIntake intake;

	private final BatchJournal journal;

	private final BatchViews views;

	private final BatchEventStreams streams;

	private final BatchActions actions;

	BatchController(BatchIntake intake, BatchJournal journal, BatchViews views, BatchEventStreams streams,
			BatchActions actions) {
		this.intake = intake;
		this.journal = journal;
		this.views = views;
		this.streams = streams;
		this.actions = actions;
	}

	@PostMapping("/subscriptions/{subscriptionId}/batches")
	Mono<ResponseEntity<?>> submit(@PathVariable String subscriptionId,
			@RequestParam(defaultValue = "false") boolean dryRun, @RequestParam(defaultValue = "false") boolean force,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			ServerWebExchange exchange) {
		if (idempotencyKey != null && idempotencyKey.trim().length() > ColumnLimits.IDEMPOTENCY_KEY) {
			return Mono.error(ApiProblemException.badRequest(
					"Idempotency-Key is " + ColumnLimits.tooLong(idempotencyKey.trim(), ColumnLimits.IDEMPOTENCY_KEY)
							+ "; at most " + ColumnLimits.IDEMPOTENCY_KEY + " characters are kept"));
		}
		CustomerStreamParser.Format format = format(exchange.getRequest().getHeaders().getContentType());
		String batchId = BatchIntake.newBatchId();
		IntakeOptions options = new IntakeOptions(dryRun, force, blankToNull(idempotencyKey));
		Mono<AcceptedBatch> accepted = this.intake
			.accept(batchId, subscriptionId, exchange.getRequest().getBody(), format, options)
			.onErrorMap(MalformedBodyException.class, BatchController::malformed);
		if (exchange.getRequest().getHeaders().getAccept().contains(MediaType.TEXT_EVENT_STREAM)) {
			// The first event goes out at once and names the batch; its log follows once
			// the
			// body is stored. A body refused after the stream began ends it with an error
			// event.
			ServerSentEvent<String> first = ServerSentEvent
				.builder("{\"batchId\":\"" + batchId + "\",\"status\":\"receiving\"}")
				.event(BatchEvent.STATUS)
				.build();
			Flux<ServerSentEvent<String>> stream = Flux.concat(Mono.just(first), accepted
				.flatMapMany(
						(batch) -> this.streams.batch(batch.batch(), 0).concatMapIterable(SseChunk::toServerSentEvents))
				.onErrorResume(BatchController::errorEvent));
			return Mono.just(ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(stream));
		}
		return accepted.flatMap(this.views::view)
			.map((view) -> ResponseEntity.accepted()
				.location(URI.create("/api/v1/batches/" + view.id()))
				.contentType(MediaType.APPLICATION_JSON)
				.body(view));
	}

	@GetMapping("/batches")
	Flux<BatchView> list(@RequestParam(required = false) String subscriptionId,
			@RequestParam(required = false) String status, @RequestParam(defaultValue = "100") int limit,
			ServerWebExchange exchange) {
		SubscriptionScope scope = SubscriptionScope.of(exchange);
		ApiProblemException.requireAtLeast("limit", limit, 1);
		BatchStatus wanted = (status != null) ? parseStatus(status) : null;
		return this.journal.findAll(subscriptionId, wanted, Math.max(1, Math.min(limit, 1000)))
			// A token scoped to some subscriptions sees only their batches.
			.filter((batch) -> scope.allows(batch.subscriptionId()))
			.concatMap(this.views::view);
	}

	@GetMapping("/batches/{batchId}")
	Mono<BatchView> get(@PathVariable String batchId) {
		return find(batchId).flatMap(this.views::view);
	}

	@GetMapping(path = "/batches/{batchId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Mono<ResponseEntity<Flux<DataBuffer>>> events(@PathVariable String batchId,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
		long after = parseLastEventId(lastEventId);
		return find(batchId).map((batch) -> ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			// The chunks' shared bytes, as they are: each live event was encoded once for
			// all its watchers, together with the others of its interval.
			.body(this.streams.batch(batch, after).map(SseChunk::buffer)));
	}

	@GetMapping("/batches/{batchId}/results")
	Mono<ResultsPage> results(@PathVariable String batchId, @RequestParam(required = false) String outcome,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
		ApiProblemException.requireAtLeast("page", page, 0);
		ApiProblemException.requireAtLeast("size", size, 1);
		Outcome wanted = (outcome != null) ? parseOutcome(outcome) : null;
		int pageSize = Math.max(1, Math.min(size, 1000));
		int pageNumber = Math.max(0, page);
		return find(batchId)
			.flatMap((batch) -> this.journal.records(batchId, wanted, (long) pageNumber * pageSize, pageSize)
				.map(ResultsPage.Result::of)
				.collectList()
				.map((items) -> new ResultsPage(batchId, pageNumber, pageSize, items)));
	}

	@PostMapping("/batches/{batchId}/retry")
	Mono<ResponseEntity<BatchView>> retry(@PathVariable String batchId) {
		return find(batchId).flatMap(this.actions::retryFailed)
			.flatMap(this.views::view)
			.map((view) -> ResponseEntity.accepted().location(URI.create("/api/v1/batches/" + view.id())).body(view));
	}

	@DeleteMapping("/batches/{batchId}")
	Mono<ResponseEntity<BatchView>> cancel(@PathVariable String batchId) {
		return find(batchId).flatMap(this.actions::cancel)
			.flatMap(this.views::view)
			.map((view) -> ResponseEntity.accepted().body(view));
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<Flux<DataBuffer>> all(ServerWebExchange exchange) {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.body(this.streams.all(SubscriptionScope.of(exchange)));
	}

	private Mono<Batch> find(String batchId) {
		return this.journal.find(batchId)
			.switchIfEmpty(Mono.error(() -> ApiProblemException.notFound("No batch '" + batchId + "'")));
	}

	private static CustomerStreamParser.Format format(MediaType contentType) {
		if (contentType != null && NDJSON.isCompatibleWith(contentType)) {
			return CustomerStreamParser.Format.NDJSON;
		}
		if (contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
			return CustomerStreamParser.Format.JSON_ARRAY;
		}
		throw ApiProblemException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"A batch body is application/json (an array of customers) or application/x-ndjson");
	}

	private static Throwable malformed(MalformedBodyException ex) {
		var problem = ApiProblemException.of(HttpStatus.BAD_REQUEST, "Malformed batch body: " + ex.getMessage());
		problem.getBody().setProperty("line", ex.line());
		problem.getBody().setProperty("column", ex.column());
		problem.getBody().setProperty("offset", ex.byteOffset());
		return problem;
	}

	private static Flux<ServerSentEvent<String>> errorEvent(Throwable error) {
		String detail = (error instanceof org.springframework.web.ErrorResponse response)
				? String.valueOf(response.getBody().getDetail()) : "The batch could not be accepted";
		int status = (error instanceof org.springframework.web.ErrorResponse response)
				? response.getStatusCode().value() : 500;
		String json = "{\"status\":" + status + ",\"detail\":" + quote(detail) + "}";
		return Flux.just(ServerSentEvent.builder(json).event("error").build());
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
	}

	private static long parseLastEventId(String value) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		try {
			return Math.max(0, Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			throw ApiProblemException.of(HttpStatus.BAD_REQUEST, "Last-Event-ID must be an event sequence number");
		}
	}

	private static BatchStatus parseStatus(String status) {
		try {
			return BatchStatus.fromTag(status);
		}
		catch (IllegalArgumentException ex) {
			throw ApiProblemException.of(HttpStatus.BAD_REQUEST, "Unknown status '" + status + "'");
		}
	}

	private static Outcome parseOutcome(String outcome) {
		try {
			return Outcome.fromTag(outcome);
		}
		catch (IllegalArgumentException ex) {
			throw ApiProblemException.of(HttpStatus.BAD_REQUEST, "Unknown outcome '" + outcome + "'");
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}

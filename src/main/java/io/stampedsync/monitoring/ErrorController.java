package io.stampedsync.monitoring;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.web.ApiProblemException;
import io.stampedsync.web.security.SubscriptionScope;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** The error log (Integration Monitoring / Error Logs): {@code GET /api/v1/errors}. */
@RestController
@RequestMapping("/api/v1")
class ErrorController {

	static final int MAX_SIZE = 1000;

	private final ErrorLog log;

	ErrorController(ErrorLog log) {
		this.log = log;
	}

	@GetMapping("/errors")
	Mono<ErrorsPage> errors(@RequestParam(required = false) String subscriptionId,
			@RequestParam(required = false) String code, @RequestParam(required = false) String batchId,
			@RequestParam(required = false) String kind, @RequestParam(required = false) String since,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size,
			ServerWebExchange exchange) {
		SubscriptionScope scope = SubscriptionScope.of(exchange);
		if (!scope.allows(subscriptionId) && subscriptionId != null && !subscriptionId.isBlank()) {
			return Mono.just(new ErrorsPage(Math.max(0, page), Math.max(1, size), false, List.of()));
		}
		ApiProblemException.requireAtLeast("page", page, 0);
		ApiProblemException.requireAtLeast("size", size, 1);
		ErrorQuery query = new ErrorQuery(blankToNull(subscriptionId), code(code), blankToNull(batchId), kind(kind),
				since(since));
		int pageSize = Math.max(1, Math.min(size, MAX_SIZE));
		int pageNumber = Math.max(0, page);
		// One more than asked tells whether another page follows without counting.
		// A scoped token sees the errors of its subscriptions only;
		// its
		// pages may then hold fewer entries than asked.
		return this.log.find(query, (long) pageNumber * pageSize, pageSize + 1)
			.filter((entry) -> scope.allows(entry.subscriptionId()))
			.collectList()
			.map((items) -> new ErrorsPage(pageNumber, pageSize, items.size() > pageSize,
					items.subList(0, Math.min(items.size(), pageSize))));
	}

	private static String code(String code) {
		if (code == null || code.isBlank()) {
			return null;
		}
		try {
			return ErrorCode.valueOf(code.trim().toUpperCase(Locale.ROOT)).name();
		}
		catch (IllegalArgumentException ex) {
			throw ApiProblemException.badRequest("Unknown error code '" + code + "'; one of "
					+ Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
		}
	}

	private static String kind(String kind) {
		if (kind == null || kind.isBlank()) {
			return null;
		}
		String wanted = kind.trim().toLowerCase(Locale.ROOT);
		if (!ErrorEntry.TRANSFER.equals(wanted) && !ErrorEntry.CALL.equals(wanted)) {
			throw ApiProblemException.badRequest("Unknown kind '" + kind + "'; one of [transfer, call]");
		}
		return wanted;
	}

	private static Instant since(String since) {
		if (since == null || since.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(since.trim());
		}
		catch (DateTimeParseException ex) {
			throw ApiProblemException
				.badRequest("'since' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, not '" + since + "'");
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/**
	 * One page of the error log, newest first.
	 *
	 * @param more whether a next page has entries
	 */
	record ErrorsPage(int page, int size, boolean more, List<ErrorEntry> items) {
	}

}

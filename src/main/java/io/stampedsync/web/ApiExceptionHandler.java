package io.stampedsync.web;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Answers every error of the API as {@code application/problem+json} (RFC 9457): the
 * framework's own errors (404 for unknown routes, 405, 415, …),
 * {@link ApiProblemException}s and anything unexpected, without stack traces and without
 * echoing request values.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

	/**
	 * A body that cannot be read. The framework's detail may quote the offending JSON
	 * token, which could be a secret sent in the wrong place, so only the path is named.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, unreadableDetail(ex));
		return handleExceptionInternal(ex, body, headers, status, exchange);
	}

	/**
	 * An unknown path falls through to the static resources, whose detail speaks of
	 * files; say what the caller asked for instead.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		if (ex instanceof NoResourceFoundException) {
			ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
					"No route " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value());
			return handleExceptionInternal(ex, body, headers, status, exchange);
		}
		return super.handleResponseStatusException(ex, headers, status, exchange);
	}

	/** Bean Validation of a body: 422 with the fields and rules, never the values. */
	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<FieldViolation> violations = ex.getFieldErrors()
			.stream()
			.map((error) -> new FieldViolation(error.getField(), String.valueOf(error.getDefaultMessage())))
			.toList();
		ApiProblemException problem = ApiProblemException
			.unprocessable("The request breaks " + violations.size() + " rule(s)", violations);
		return handleExceptionInternal(ex, problem.getBody(), headers, problem.getStatusCode(), exchange);
	}

	/**
	 * A JSON body larger than {@code spring.codec.max-in-memory-size}: the caller sent
	 * too much, not a bug.
	 */
	@ExceptionHandler(DataBufferLimitException.class)
	Mono<ResponseEntity<Object>> handleTooLarge(DataBufferLimitException ex, ServerWebExchange exchange) {
		HttpStatus status = HttpStatus.CONTENT_TOO_LARGE;
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "The request body is too large");
		return handleExceptionInternal(ex, body, new HttpHeaders(), status, exchange);
	}

	/**
	 * A Content-Type or Accept header that is no media type, met by a controller that
	 * reads the header itself (the batch intake): the request is malformed, not our
	 * failure.
	 */
	@ExceptionHandler(InvalidMediaTypeException.class)
	Mono<ResponseEntity<Object>> handleInvalidMediaType(InvalidMediaTypeException ex, ServerWebExchange exchange) {
		HttpStatus status = HttpStatus.BAD_REQUEST;
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
				"A Content-Type or Accept header is not a valid media type");
		return handleExceptionInternal(ex, body, new HttpHeaders(), status, exchange);
	}

	/** Anything else is a bug on our side: log it, say nothing of it to the caller. */
	@ExceptionHandler(Exception.class)
	Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
		if (ex.getClass().getName().startsWith("org.springframework.security.")) {
			// Spring Security's filter turns these into 401/403 further up; not a bug.
			return Mono.error(ex);
		}
		log.error("Unexpected error answering " + exchange.getRequest().getMethod() + " "
				+ LogSafe.escape(exchange.getRequest().getPath()), ex);
		HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "Unexpected error; see the gateway log");
		return handleExceptionInternal(ex, body, new HttpHeaders(), status, exchange);
	}

	/**
	 * Problem details always go out as problem+json: negotiated against the request's
	 * Accept, they would be written as an event stream to a caller asking for one.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			ServerWebExchange exchange) {
		if (!(body instanceof ProblemDetail)) {
			return super.createResponseEntity(body, headers, status, exchange);
		}
		HttpHeaders problemHeaders = HttpHeaders.copyOf(headers);
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return super.createResponseEntity(body, problemHeaders, status, exchange);
	}

	private static String unreadableDetail(ServerWebInputException ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		if (!(cause instanceof JacksonException jackson)) {
			// The framework's own reasons ("No request body", "Type mismatch.") quote no
			// value.
			return (ex.getReason() != null) ? ex.getReason() : "The request could not be read";
		}
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : jackson.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "The request body is not valid JSON"
				: "The request body is not valid JSON at '" + path + "'";
	}

}

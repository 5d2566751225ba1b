package io.stampedsync.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error of the API that the caller can act on, answered as
 * {@code application/problem+json} (RFC 9457). Build one with the factories; the detail
 * must never carry a secret.
 */
public class ApiProblemException extends ErrorResponseException {

	/** Name of the problem property that lists field violations. */
	public static final String ERRORS = "errors";

	private ApiProblemException(HttpStatus status, String detail) {
		super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	/** A problem with any status, e.g. 503 when a collaborator is missing. */
	public static ApiProblemException of(HttpStatus status, String detail) {
		return new ApiProblemException(status, detail);
	}

	/** 400: the request cannot be understood (unreadable body, bad parameter). */
	public static ApiProblemException badRequest(String detail) {
		return new ApiProblemException(HttpStatus.BAD_REQUEST, detail);
	}

	/**
	 * 400 unless {@code value} of query parameter {@code name} is at least {@code min}: a
	 * negative page is a mistake to show, not to clamp silently.
	 */
	public static void requireAtLeast(String name, int value, int min) {
		if (value < min) {
			throw badRequest("Query parameter " + name + " must be at least " + min);
		}
	}

	/** 404: e.g. {@code notFound("No subscription with id acme")}. */
	public static ApiProblemException notFound(String detail) {
		return new ApiProblemException(HttpStatus.NOT_FOUND, detail);
	}

	/** 409: the request conflicts with the current state of the resource. */
	public static ApiProblemException conflict(String detail) {
		return new ApiProblemException(HttpStatus.CONFLICT, detail);
	}

	/**
	 * 422: the request is well-formed but breaks rules; the problem carries
	 * {@code errors: [{field, rule}]}.
	 */
	public static ApiProblemException unprocessable(String detail, List<FieldViolation> violations) {
		ApiProblemException problem = new ApiProblemException(HttpStatus.UNPROCESSABLE_CONTENT, detail);
		problem.getBody().setProperty(ERRORS, List.copyOf(violations));
		return problem;
	}

	/** The field violations of a 422, or an empty list. */
	@SuppressWarnings("unchecked")
	public List<FieldViolation> violations() {
		var properties = getBody().getProperties();
		Object errors = (properties != null) ? properties.get(ERRORS) : null;
		return (errors instanceof List<?> list) ? (List<FieldViolation>) list : List.of();
	}

	// Expected outcomes of a request, not bugs: a stack trace would only cost time.
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}

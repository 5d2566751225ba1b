package io.stampedsync.faults;

import java.util.List;

/**
 * Every endpoint of the HTTP contract (DESIGN.md §4) as {@link BadInputTests} drives it:
 * method, path template, the query parameters and headers it reads, what body it takes,
 * and the documented shape of a 2xx answer. {@code {sub}} is a subscription (the fuzzed
 * one or garbage), {@code {new}} one that the test may create and delete, {@code {batch}}
 * a finished batch or garbage. The global {@code GET /events} stream is left out: it
 * never ends.
 */
enum Endpoint {

	LIST_SUBSCRIPTIONS("GET", "/api/v1/subscriptions", List.of(), Body.NONE, Shape.ARRAY),

	GET_SUBSCRIPTION("GET", "/api/v1/subscriptions/{sub}", List.of(), Body.NONE, Shape.ID),

	PUT_SUBSCRIPTION("PUT", "/api/v1/subscriptions/{new}", List.of(), Body.SUBSCRIPTION, Shape.ID),

	DELETE_SUBSCRIPTION("DELETE", "/api/v1/subscriptions/{new}", List.of("cancelBatches"), Body.NONE, Shape.EMPTY),

	VERIFY("POST", "/api/v1/subscriptions/{sub}/verify", List.of(), Body.NONE, Shape.OBJECT),

	SUBMIT("POST", "/api/v1/subscriptions/{sub}/batches", List.of("dryRun", "force"), Body.BATCH, Shape.BATCH),

	LIST_BATCHES("GET", "/api/v1/batches", List.of("subscriptionId", "status", "limit"), Body.NONE, Shape.ARRAY),

	GET_BATCH("GET", "/api/v1/batches/{batch}", List.of(), Body.NONE, Shape.BATCH),

	BATCH_EVENTS("GET", "/api/v1/batches/{batch}/events", List.of(), Body.NONE, Shape.EVENTS),

	RESULTS("GET", "/api/v1/batches/{batch}/results", List.of("outcome", "page", "size"), Body.NONE, Shape.ITEMS),

	RETRY("POST", "/api/v1/batches/{batch}/retry", List.of(), Body.NONE, Shape.BATCH),

	CANCEL("DELETE", "/api/v1/batches/{batch}", List.of(), Body.NONE, Shape.BATCH),

	HOOKS("POST", "/api/v1/subscriptions/{sub}/hooks", List.of(), Body.JSON, Shape.ANY),

	MANUAL_SYNC("POST", "/api/v1/subscriptions/{sub}/manual-sync", List.of(), Body.MANUAL_SYNC, Shape.OBJECT),

	INITIALIZE("POST", "/api/v1/subscriptions/{sub}/initialize", List.of(), Body.NONE, Shape.ANY),

	ERRORS("GET", "/api/v1/errors", List.of("subscriptionId", "code", "since", "page", "size"), Body.NONE, Shape.ITEMS),

	MONITORING("GET", "/api/v1/monitoring", List.of(), Body.NONE, Shape.OBJECT),

	SESSION("GET", "/api/v1/session", List.of(), Body.NONE, Shape.OBJECT),

	LOGIN("POST", "/api/v1/session", List.of(), Body.JSON, Shape.EMPTY),

	/** A random method on a path of real and random segments. */
	ANYWHERE(null, null, List.of(), Body.BYTES, Shape.ANY);

	final String method;

	final String path;

	final List<String> query;

	final Body body;

	final Shape shape;

	Endpoint(String method, String path, List<String> query, Body body, Shape shape) {
		this.method = method;
		this.path = path;
		this.query = query;
		this.body = body;
		this.shape = shape;
	}

	/** What a request to the endpoint carries. */
	enum Body {

		NONE, BATCH, SUBSCRIPTION, JSON, MANUAL_SYNC, BYTES

	}

	/** The documented shape of a 2xx answer. */
	enum Shape {

		/** A JSON array of objects, each with an {@code id}. */
		ARRAY,
		/** A JSON object with an {@code id}. */
		ID,
		/**
		 * A batch view: {@code id}, {@code status} and {@code counts}; or its SSE stream.
		 */
		BATCH,
		/** A page: {@code items} array. */
		ITEMS,
		/** Server-sent events. */
		EVENTS,
		/** A JSON object. */
		OBJECT,
		/** No body. */
		EMPTY,
		/** Anything that is not an error. */
		ANY

	}

}

package io.stampedsync.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each operation of the API does, for the OpenAPI description (DESIGN.md §4). Keyed
 * by "METHOD path" as springdoc names paths; an operation added elsewhere gets its entry
 * here ({@code ApiDocumentationTests} fails for one without a summary).
 */
final class ApiOperations {

	/** Tags in the order the UI shows them. */
	static final Map<String, String> TAGS = new LinkedHashMap<>();

	static {
		TAGS.put("subscriptions", "Subscription settings (DESIGN.md §3)");
		TAGS.put("batches", "Batches of transfers, their results and live events");
		TAGS.put("hooks", "iPaaS.com outbound triggers and Manual Sync");
		TAGS.put("monitoring", "Error logs (Integration Monitoring) and subscription health");
		TAGS.put("session", "Browser sign-in for the dashboard");
	}

	private static final Map<String, Doc> DOCS = new LinkedHashMap<>();

	static {
		doc("GET /api/v1/subscriptions", "subscriptions", "List subscriptions",
				"Every subscription, from configuration or the API, with secrets masked.");
		doc("GET /api/v1/subscriptions/{id}", "subscriptions", "Get a subscription",
				"The settings of one subscription, secrets masked; 404 when there is none.");
		doc("PUT /api/v1/subscriptions/{id}", "subscriptions", "Create or replace a subscription",
				"Validates the settings (422 naming each wrong field) and applies throttle and concurrency "
						+ "changes to running batches without a restart.");
		doc("DELETE /api/v1/subscriptions/{id}", "subscriptions", "Delete a subscription",
				"Removes a subscription created through the API.");
		doc("POST /api/v1/subscriptions/{id}/verify", "subscriptions", "Verify credentials",
				"Checks the credentials with one cheap Stamped.io call and says which setting is wrong; "
						+ "success resumes a subscription paused on rejected credentials.");
		doc("POST /api/v1/subscriptions/{subscriptionId}/batches", "batches", "Submit a batch",
				"Body: a JSON array or NDJSON of iPaaS.com customers, streamed. Accept: text/event-stream "
						+ "answers with the batch's SSE stream, otherwise 202 with the batch and a Location. "
						+ "dryRun=true decides without calling, force=true sends unchanged customers too, "
						+ "Idempotency-Key makes a replay answer the same batch.");
		doc("GET /api/v1/batches", "batches", "List batches",
				"Batch summaries, newest first, filtered by subscriptionId and status.");
		doc("GET /api/v1/batches/{batchId}", "batches", "Get a batch",
				"Status, counts per outcome, rate and ETA of one batch.");
		doc("DELETE /api/v1/batches/{batchId}", "batches", "Cancel a batch",
				"Records not yet started end cancelled; calls in flight finish.");
		doc("GET /api/v1/batches/{batchId}/events", "batches", "Follow a batch (SSE)",
				"Replays the batch's event log after Last-Event-ID (or from the start), then follows it live "
						+ "with heartbeat comments; events record, progress and status; ends after the final "
						+ "status.");
		doc("GET /api/v1/batches/{batchId}/results", "batches", "Per-record results",
				"Results by record index, paged, optionally only one outcome (e.g. outcome=failed).");
		doc("POST /api/v1/batches/{batchId}/retry", "batches", "Retry failed records",
				"A new batch of the failed records of this one.");
		doc("GET /api/v1/events", "batches", "Dashboard stream (SSE)",
				"Progress and status of every batch, a subscription event with a subscription's health "
						+ "whenever it changes (the current health of each first), and a throughput event with "
						+ "each minute of a subscription's throughput history that changed; never ends.");
		doc("POST /api/v1/subscriptions/{subscriptionId}/hooks", "hooks", "iPaaS.com outbound trigger",
				"A hook delivery, authenticated with the subscription's webhook key as bearer token.");
		doc("POST /api/v1/subscriptions/{subscriptionId}/manual-sync", "hooks", "Manual Sync",
				"{\"ids\": [...], \"debug\": false}, at most 3000 iPaaS.com ids; debug jumps the queue and traces "
						+ "every call.");
		doc("POST /api/v1/subscriptions/{subscriptionId}/initialize", "hooks", "Initialization (not supported)",
				"Always 422 INITIALIZATION_NOT_SUPPORTED: customers move individually, by trigger or by Manual Sync.");
		doc("POST /api/v1/session", "session", "Sign in (browser session)",
				"{\"token\": \"...\"} makes an HttpOnly, SameSite=Strict session cookie for the dashboard; "
						+ "unsafe calls with the cookie need the header X-Requested-With: stamped-sync.");
		doc("GET /api/v1/session", "session", "Current session", "The name and role of the signed-in token.");
		doc("DELETE /api/v1/session", "session", "Sign out", "Ends the session and clears its cookie.");
		doc("GET /api/v1/errors", "monitoring", "Error log",
				"Every failed or rejected transfer and every failed call, newest first, paged; filters "
						+ "subscriptionId, code (an error code), batchId, kind (transfer or call) and since "
						+ "(ISO-8601 instant). Kept for stamped-sync.monitoring.error-retention.");
		doc("GET /api/v1/monitoring", "monitoring", "Subscription health",
				"Per subscription: healthy, cool-down (until) or paused (credentials rejected); per direction "
						+ "the calls in the current window against L, the calls of the last minute and the "
						+ "spacing; queued, running and paused batches; records waiting; the last error.");
		doc("GET /api/v1/monitoring/throughput", "monitoring", "Throughput history",
				"One point per minute (at, records, calls, errors, and the same per direction) of one "
						+ "subscription over the last minutes (1..1440, default 60), kept by the gateway for 24 "
						+ "hours and rebuilt from the journal after a restart; the dashboard stream carries each "
						+ "changed minute as a throughput event.");
		doc("GET /api/v1/dashboard/settings", "session", "Dashboard settings",
				"What the dashboard page needs: reloadSeconds, how often the overview reads everything again "
						+ "under its live stream (0 = never).");
	}

	private ApiOperations() {
	}

	private static void doc(String key, String tag, String summary, String description) {
		DOCS.put(key, new Doc(tag, summary, description));
	}

	/** The documentation of an operation, or {@code null} when it has none here. */
	static Doc find(String method, String path) {
		return DOCS.get(method + " " + path);
	}

	record Doc(String tag, String summary, String description) {
	}

}

package io.stampedsync.ipaas;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.stampedsync.web.ApiProblemException;
import io.stampedsync.web.FieldViolation;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

/**
 * A Manual Sync body, {@code {"ids": [...], "debug": false}}, checked: at most the limit
 * of ids (413 beyond), each non-blank and at most 64 characters (422 naming the index),
 * duplicates collapsed in first-seen order.
 *
 * @param ids the distinct ids, in the order first given
 * @param requested how many ids the body named, duplicates included
 * @param debug whether the batch jumps the queue and traces its calls
 */
record ManualSyncRequest(List<String> ids, int requested, boolean debug) {

	static final int MAX_ID_LENGTH = 64;

	/** Reads and checks {@code body}, allowing at most {@code maxIds} ids. */
	static ManualSyncRequest parse(JsonMapper json, String body, int maxIds) {
		JsonNode root = read(json, body);
		JsonNode ids = root.get("ids");
		if (ids == null || !ids.isArray()) {
			throw ApiProblemException.unprocessable("A Manual Sync names the iPaaS.com customer ids to transfer",
					List.of(new FieldViolation("ids", "required: an array of iPaaS.com customer ids")));
		}
		if (ids.size() > maxIds) {
			throw ApiProblemException.of(HttpStatus.CONTENT_TOO_LARGE, "A Manual Sync names at most " + maxIds
					+ " ids; this one names " + ids.size() + ". Nothing was queued: split it");
		}
		if (ids.isEmpty()) {
			throw ApiProblemException.unprocessable("A Manual Sync names at least one id",
					List.of(new FieldViolation("ids", "must hold at least one id")));
		}
		JsonNode debug = root.get("debug");
		List<FieldViolation> violations = new ArrayList<>();
		if (debug != null && !debug.isNull() && !debug.isBoolean()) {
			violations.add(new FieldViolation("debug", "must be true or false"));
		}
		Set<String> distinct = new LinkedHashSet<>();
		for (int index = 0; index < ids.size(); index++) {
			String id = id(ids.get(index));
			if (id == null) {
				violations.add(new FieldViolation("ids[" + index + "]", "must be a non-blank id"));
			}
			else if (id.length() > MAX_ID_LENGTH) {
				violations
					.add(new FieldViolation("ids[" + index + "]", "longer than " + MAX_ID_LENGTH + " characters"));
			}
			else {
				distinct.add(id);
			}
		}
		if (!violations.isEmpty()) {
			throw ApiProblemException.unprocessable("The Manual Sync has unusable values; nothing was queued",
					violations);
		}
		return new ManualSyncRequest(List.copyOf(distinct), ids.size(), debug != null && debug.asBoolean(false));
	}

	private static JsonNode read(JsonMapper json, String body) {
		if (body == null || body.isBlank()) {
			throw ApiProblemException.badRequest("The body is empty; expected {\"ids\": [...], \"debug\": false}");
		}
		try {
			JsonNode root = json.readTree(body);
			if (root == null || !root.isObject()) {
				throw ApiProblemException.badRequest("The body must be a JSON object: {\"ids\": [...]}");
			}
			return root;
		}
		catch (JacksonException ex) {
			throw ApiProblemException
				.badRequest("The body is not valid JSON (near line " + ex.getLocation().getLineNr() + ")");
		}
	}

	/** An id given as a string or an integral number, trimmed; otherwise null. */
	private static String id(JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isIntegralNumber()) {
			return node.asString();
		}
		if (!node.isString()) {
			return null;
		}
		String id = node.asString().trim();
		return id.isEmpty() ? null : id;
	}

}

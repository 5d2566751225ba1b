package io.stampedsync.deploy;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The part of Kubernetes' strategic merge patch that the overlays use: objects merge
 * field by field, {@code null} deletes a field, lists with a merge key (containers, env,
 * volumes by name; volume mounts by path; ports by number) merge element by element, and
 * other lists are replaced. No {@code $patch} directives.
 */
final class StrategicMerge {

	/** Merge keys of the Kubernetes API (patchMergeKey), by list field name. */
	private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "env",
			"name", "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

	private StrategicMerge() {
	}

	static void apply(ObjectNode target, ObjectNode patch) {
		for (Map.Entry<String, JsonNode> field : patch.properties()) {
			String name = field.getKey();
			JsonNode value = field.getValue();
			JsonNode current = target.get(name);
			if (value.isNull()) {
				target.remove(name);
			}
			else if (value.isObject() && current instanceof ObjectNode object) {
				apply(object, (ObjectNode) value);
			}
			else if (value.isArray() && current instanceof ArrayNode list && MERGE_KEYS.containsKey(name)) {
				mergeList(list, (ArrayNode) value, MERGE_KEYS.get(name));
			}
			else {
				target.set(name, value.deepCopy());
			}
		}
	}

	private static void mergeList(ArrayNode target, ArrayNode patch, String key) {
		for (JsonNode element : patch) {
			ObjectNode existing = null;
			for (JsonNode candidate : target) {
				if (candidate.path(key).equals(element.path(key))) {
					existing = (ObjectNode) candidate;
				}
			}
			if (existing != null) {
				apply(existing, (ObjectNode) element);
			}
			else {
				target.add(element.deepCopy());
			}
		}
	}

}

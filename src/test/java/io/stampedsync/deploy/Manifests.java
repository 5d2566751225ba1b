package io.stampedsync.deploy;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the manifests under {@code k8s/} into the fabric8 Kubernetes model, the way
 * {@code kubectl apply -k} would see them (kubectl cannot run here): the resources of a
 * kustomization, its base's resources, and its strategic-merge patches applied by
 * {@link StrategicMerge}.
 */
final class Manifests {

	static final Path ROOT = Path.of("k8s");

	static final YAMLMapper YAML = YAMLMapper.builder().build();

	/** Every kind the manifests may use, with the class that models it. */
	private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Deployment", Deployment.class,
			"Service", Service.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class, "PersistentVolumeClaim",
			PersistentVolumeClaim.class, "PodDisruptionBudget", PodDisruptionBudget.class, "NetworkPolicy",
			NetworkPolicy.class, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

	/** The kustomization fields these manifests use; anything else is a typo. */
	private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources", "patches",
			"images");

	private Manifests() {
	}

	/** The resources of the kustomization in {@code dir}, patched, as model objects. */
	static Rendered render(Path dir) {
		List<ObjectNode> documents = renderDocuments(dir);
		return new Rendered(dir, documents.stream().map((document) -> toModel(document, dir.toString())).toList());
	}

	/** The YAML documents of a kustomization: its resources, then its patches applied. */
	static List<ObjectNode> renderDocuments(Path dir) {
		JsonNode kustomization = readAll(dir.resolve("kustomization.yaml")).get(0);
		assertThat(kustomization.path("apiVersion").asString()).isEqualTo("kustomize.config.k8s.io/v1beta1");
		assertThat(kustomization.path("kind").asString()).isEqualTo("Kustomization");
		assertThat(kustomization.propertyNames()).as("fields of %s/kustomization.yaml", dir)
			.isSubsetOf(KUSTOMIZATION_FIELDS);
		List<ObjectNode> documents = new ArrayList<>();
		for (JsonNode resource : kustomization.path("resources")) {
			Path path = dir.resolve(resource.asString()).normalize();
			assertThat(path).as("resource of %s", dir).exists();
			documents.addAll(Files.isDirectory(path) ? renderDocuments(path) : readAll(path));
		}
		for (JsonNode patch : kustomization.path("patches")) {
			assertThat(patch.propertyNames()).as("patch of %s (target inferred from kind and name)", dir)
				.containsExactly("path");
			Path path = dir.resolve(patch.path("path").asString());
			ObjectNode patchDocument = (ObjectNode) readAll(path).get(0);
			// The patch alone must already be valid model fields.
			toModel(patchDocument, path.toString());
			ObjectNode target = documents.stream()
				.filter((document) -> sameKindAndName(document, patchDocument))
				.findFirst()
				.orElseThrow(() -> new AssertionError(path + " patches no resource of " + dir));
			StrategicMerge.apply(target, patchDocument);
		}
		return documents;
	}

	/** The {@code images} entries of a kustomization and of the bases it includes. */
	static List<JsonNode> images(Path dir) {
		JsonNode kustomization = readAll(dir.resolve("kustomization.yaml")).get(0);
		List<JsonNode> images = new ArrayList<>(kustomization.path("images").values());
		for (JsonNode resource : kustomization.path("resources")) {
			Path path = dir.resolve(resource.asString()).normalize();
			if (Files.isDirectory(path)) {
				images.addAll(images(path));
			}
		}
		return images;
	}

	/**
	 * Every {@code *.example.yaml} under {@code k8s/}: templates of Secrets applied by
	 * hand.
	 */
	static List<Path> secretTemplates() throws IOException {
		try (Stream<Path> files = Files.walk(ROOT)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".example.yaml")).sorted().toList();
		}
	}

	static List<ObjectNode> readAll(Path file) {
		List<ObjectNode> documents = new ArrayList<>();
		try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(file)) {
			iterator.forEachRemaining((document) -> {
				if (!document.isNull() && !document.isMissingNode()) {
					documents.add((ObjectNode) document);
				}
			});
		}
		assertThat(documents).as("documents in %s", file).isNotEmpty();
		return documents;
	}

	static HasMetadata toModel(JsonNode document, String source) {
		String kind = document.path("kind").asString();
		Class<? extends HasMetadata> type = KINDS.get(kind);
		assertThat(type).as("kind %s in %s", kind, source).isNotNull();
		assertThat(document.path("apiVersion").asString()).as("apiVersion of %s in %s", kind, source)
			.isEqualTo(HasMetadata.getApiVersion(type));
		HasMetadata resource = YAML.treeToValue(document, type);
		List<String> unknown = new ArrayList<>();
		collectUnknownFields(resource, kind + "/" + resource.getMetadata().getName(), unknown);
		assertThat(unknown).as("fields the Kubernetes model does not know, in %s", source).isEmpty();
		return resource;
	}

	private static boolean sameKindAndName(JsonNode a, JsonNode b) {
		return a.path("kind").equals(b.path("kind"))
				&& a.path("metadata").path("name").equals(b.path("metadata").path("name"));
	}

	/**
	 * fabric8 keeps every field it does not model in {@code additionalProperties} instead
	 * of failing, so walk the getters and collect them.
	 */
	private static void collectUnknownFields(Object value, String path, List<String> unknown) {
		if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				collectUnknownFields(list.get(i), path + "[" + i + "]", unknown);
			}
		}
		else if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> collectUnknownFields(item, path + "." + key, unknown));
		}
		else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
			for (Method getter : value.getClass().getMethods()) {
				if (getter.getParameterCount() == 0 && getter.getName().startsWith("get")
						&& !Modifier.isStatic(getter.getModifiers()) && getter.getDeclaringClass() != Object.class) {
					Object property = invoke(getter, value, path);
					String name = path + "." + getter.getName().substring(3);
					if (getter.getName().equals("getAdditionalProperties")) {
						if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
							unknown.add(path + " " + extra.keySet());
						}
					}
					else {
						collectUnknownFields(property, name, unknown);
					}
				}
			}
		}
	}

	private static Object invoke(Method getter, Object target, String path) {
		try {
			return getter.invoke(target);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new AssertionError(path + "." + getter.getName() + " failed: " + ex.getCause(), ex);
		}
	}

	/** The resources of one kustomization, rendered. */
	record Rendered(Path dir, List<HasMetadata> resources) {

		<T extends HasMetadata> List<T> all(Class<T> type) {
			return this.resources.stream().filter(type::isInstance).map(type::cast).toList();
		}

		<T extends HasMetadata> T only(Class<T> type) {
			assertThat(all(type)).as("%s in %s", type.getSimpleName(), this.dir).hasSize(1);
			return all(type).get(0);
		}

		<T extends HasMetadata> T named(Class<T> type, String name) {
			return all(type).stream()
				.filter((resource) -> resource.getMetadata().getName().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name + " not in " + this.dir));
		}

		@Override
		public String toString() {
			return this.dir.toString();
		}

	}

}

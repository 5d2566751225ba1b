package io.stampedsync.deploy;

import org.assertj.core.groups.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.stampedsync.deploy.Manifests.Rendered;
import io.stampedsync.subscription.SubscriptionSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the manifests under {@code k8s/} against the application they deploy, since
 * kubectl and kustomize cannot run here: they parse into the Kubernetes model without
 * unknown fields, selectors match, ports and probes are those of {@code application.yml},
 * every environment variable binds to a real property and every Secret or ConfigMap key
 * it reads exists.
 */
class KubernetesManifestsTests {

	private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "JDK_JAVA_OPTIONS");

	/**
	 * PENDING: the inbound API tokens (DESIGN.md §4) come in a later change as
	 * {@code stamped-sync.security.tokens.<name>.secret|role}. Used only while the
	 * metadata does not know that map; from then on these variables bind through the
	 * metadata.
	 */
	private static final String PENDING_TOKENS = "stamped-sync.security.tokens";

	private static final List<String> PENDING_TOKEN_FIELDS = List.of("secret", "role");

	/**
	 * Map pattern {@code stamped-sync.subscriptions.<id>.<setting>}: until the
	 * subscription properties are in the metadata (as a map of their input record), a
	 * setting must be a component of the seam record {@link SubscriptionSettings}
	 * (DESIGN.md §3).
	 */
	private static final String SUBSCRIPTIONS = "stamped-sync.subscriptions";

	private static final Pattern COMMENTED_VARIABLE = Pattern.compile("^\\s*#\\s*([A-Z][A-Z0-9_]+):\\s");

	private static JsonNode application;

	private static PropertyCatalog catalog;

	@BeforeAll
	static void load() throws IOException {
		application = Manifests.readAll(Path.of("src/main/resources/application.yml")).get(0);
		catalog = PropertyCatalog.load();
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void selectorsMatchThePodTemplateLabels(String kustomization) {
		Rendered rendered = render(kustomization);
		Deployment deployment = rendered.only(Deployment.class);
		Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
		assertSelects(podLabels, deployment.getSpec().getSelector().getMatchLabels(), "Deployment");
		assertSelects(podLabels, rendered.only(Service.class).getSpec().getSelector(), "Service");
		assertSelects(podLabels, rendered.only(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(),
				"PodDisruptionBudget");
		assertSelects(podLabels, rendered.only(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels(),
				"NetworkPolicy");
		for (HorizontalPodAutoscaler autoscaler : rendered.all(HorizontalPodAutoscaler.class)) {
			assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
			assertThat(autoscaler.getSpec().getScaleTargetRef().getName())
				.isEqualTo(deployment.getMetadata().getName());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void portsAreThoseOfApplicationYml(String kustomization) {
		Rendered rendered = render(kustomization);
		Container container = container(rendered);
		int server = Integer.parseInt(setting("server.port"));
		int management = Integer.parseInt(setting("management.server.port"));
		assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
			.containsExactlyInAnyOrder(Tuple.tuple("http", server), Tuple.tuple("management", management));
		for (ServicePort port : rendered.only(Service.class).getSpec().getPorts()) {
			assertThat(resolve(port.getTargetPort(), container)).as("Service port %s", port.getName())
				.isIn(server, management);
		}
		NetworkPolicy policy = rendered.only(NetworkPolicy.class);
		assertThat(policy.getSpec().getIngress().stream().flatMap((rule) -> rule.getPorts().stream()))
			.extracting(NetworkPolicyPort::getPort)
			.extracting((port) -> resolve(port, container))
			.contains(server, management);
		assertThat(policy.getSpec().getEgress().stream().flatMap((rule) -> rule.getPorts().stream()))
			.extracting((port) -> port.getProtocol() + "/" + port.getPort().getIntVal())
			.contains("UDP/53", "TCP/53", "TCP/443", "TCP/5432");
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void theManagementPortIsOpenToTheMonitoringNamespaceOnly(String kustomization) {
		Rendered rendered = render(kustomization);
		Container container = container(rendered);
		int management = Integer.parseInt(setting("management.server.port"));
		List<NetworkPolicyIngressRule> rules = rendered.only(NetworkPolicy.class)
			.getSpec()
			.getIngress()
			.stream()
			.filter((rule) -> rule.getPorts()
				.stream()
				.anyMatch((port) -> resolve(port.getPort(), container) == management))
			.toList();
		assertThat(rules).singleElement().satisfies((rule) -> {
			assertThat(rule.getFrom()).as("peers of the management port").isNotEmpty().allSatisfy((peer) -> {
				assertThat(peer.getIpBlock()).isNull();
				LabelSelector selector = (peer.getNamespaceSelector() != null) ? peer.getNamespaceSelector()
						: peer.getPodSelector();
				assertThat(selector.getMatchLabels()).as("a peer selects by label, never everything").isNotEmpty();
			});
			assertThat(rule.getFrom()).anySatisfy((peer) -> assertThat(peer.getNamespaceSelector().getMatchLabels())
				.containsEntry("kubernetes.io/metadata.name", "monitoring"));
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void theClientAddressIsReadFromTrustedProxiesOnly(String kustomization) {
		Rendered rendered = render(kustomization);
		Map<String, String> data = new HashMap<>();
		for (EnvFromSource source : container(rendered).getEnvFrom()) {
			data.putAll(rendered.named(ConfigMap.class, source.getConfigMapRef().getName()).getData());
		}
		assertThat(data.get("STAMPED_SYNC_SECURITY_TRUSTED_PROXIES")).as("trusted proxies").isNotBlank();
		assertThat(data).as("Netty's own forwarded-header handling believes any client")
			.doesNotContainKey("SERVER_FORWARD_HEADERS_STRATEGY");
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void probesUseActuatorHealthGroupsOnTheManagementPort(String kustomization) {
		Container container = container(render(kustomization));
		assertThat(setting("management.endpoint.health.probes.enabled")).isEqualTo("true");
		String health = optionalSetting("management.endpoints.web.base-path").orElse("/actuator") + "/health";
		int management = Integer.parseInt(setting("management.server.port"));
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo(health + "/liveness");
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo(health + "/readiness");
		assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo(health + "/liveness");
		for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(),
				container.getStartupProbe())) {
			assertThat(resolve(probe.getHttpGet().getPort(), container)).isEqualTo(management);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void terminationGraceOutlastsPreStopAndGracefulShutdown(String kustomization) {
		Deployment deployment = render(kustomization).only(Deployment.class);
		Container container = container(deployment);
		List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
		assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
		long sleep = Long.parseLong(preStop.get(1));
		assertThat(setting("server.shutdown")).isEqualTo("graceful");
		Duration shutdown = DurationStyle.detectAndParse(setting("spring.lifecycle.timeout-per-shutdown-phase"));
		assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
			.isGreaterThan(sleep + shutdown.toSeconds());
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void podRunsAsNonRootOnAReadOnlyRootFilesystemWithinLimits(String kustomization) {
		Deployment deployment = render(kustomization).only(Deployment.class);
		PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		Container container = container(deployment);
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
		assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
		assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
		assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
		assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
		assertThat(container.getVolumeMounts()).anySatisfy((mount) -> {
			assertThat(mount.getMountPath()).isEqualTo("/tmp");
			assertThat(volume(pod, mount.getName()).getEmptyDir()).isNotNull();
		});
		assertThat(container.getVolumeMounts()).allSatisfy((mount) -> volume(pod, mount.getName()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void everyEnvironmentVariableBindsToARealProperty(String kustomization) {
		Rendered rendered = render(kustomization);
		Container container = container(rendered);
		List<String> variables = new ArrayList<>(container.getEnv().stream().map(EnvVar::getName).toList());
		for (EnvFromSource source : container.getEnvFrom()) {
			ConfigMap configMap = rendered.named(ConfigMap.class, source.getConfigMapRef().getName());
			variables.addAll(configMap.getData().keySet());
		}
		assertThat(variables).isNotEmpty().allSatisfy(KubernetesManifestsTests::assertBinds);
		assertThat(variables).as("the data dir is the one the volume is mounted at")
			.contains("STAMPED_SYNC_DATA_DIR", "SPRING_PROFILES_ACTIVE");
	}

	@Test
	void optInVariablesCommentedInTheManifestsBindToo() throws IOException {
		List<String> variables = new ArrayList<>();
		try (Stream<Path> files = Files.walk(Manifests.ROOT)) {
			for (Path file : files.filter((file) -> file.toString().endsWith(".yaml")).toList()) {
				for (String line : Files.readAllLines(file)) {
					Matcher matcher = COMMENTED_VARIABLE.matcher(line);
					if (matcher.find()) {
						variables.add(matcher.group(1));
					}
				}
			}
		}
		assertThat(variables).contains("LOGGING_STRUCTURED_FORMAT_CONSOLE")
			.allSatisfy(KubernetesManifestsTests::assertBinds);
	}

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/embedded", "overlays/distributed" })
	void everySecretAndConfigMapKeyReadExists(String kustomization) throws IOException {
		Rendered rendered = render(kustomization);
		Container container = container(rendered);
		Map<String, Secret> templates = new HashMap<>();
		for (Path template : Manifests.secretTemplates()) {
			Secret secret = (Secret) Manifests.toModel(Manifests.readAll(template).get(0), template.toString());
			templates.put(secret.getMetadata().getName(), secret);
		}
		for (EnvVar variable : container.getEnv()) {
			if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
				var ref = variable.getValueFrom().getSecretKeyRef();
				assertThat(templates).as("Secret template of %s", variable.getName()).containsKey(ref.getName());
				assertThat(secretKeys(templates.get(ref.getName()))).as(variable.getName()).contains(ref.getKey());
			}
			if (variable.getValueFrom() != null && variable.getValueFrom().getConfigMapKeyRef() != null) {
				var ref = variable.getValueFrom().getConfigMapKeyRef();
				assertThat(rendered.named(ConfigMap.class, ref.getName()).getData()).containsKey(ref.getKey());
			}
		}
		for (Volume volume : rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getVolumes()) {
			if (volume.getPersistentVolumeClaim() != null) {
				rendered.named(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
			}
		}
	}

	@Test
	void secretTemplatesHoldPlaceholdersOnlyAndAreNeverApplied() throws IOException {
		List<Path> templates = Manifests.secretTemplates();
		assertThat(templates).isNotEmpty();
		for (Path template : templates) {
			Secret secret = (Secret) Manifests.toModel(Manifests.readAll(template).get(0), template.toString());
			assertThat(secret.getData()).as("base64 data in %s", template).isNullOrEmpty();
			assertThat(secret.getStringData()).isNotEmpty()
				.allSatisfy((key, value) -> assertThat(value).as("%s in %s", key, template).isEqualTo("REPLACE_ME"));
		}
		for (String kustomization : List.of("base", "overlays/embedded", "overlays/distributed")) {
			assertThat(render(kustomization).all(Secret.class)).as("Secrets applied by %s", kustomization).isEmpty();
		}
	}

	@Test
	void embeddedOverlayRunsOneReplicaRecreatedOnAPersistentVolume() {
		Rendered rendered = render("overlays/embedded");
		Deployment deployment = rendered.only(Deployment.class);
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
		assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
		assertThat(rendered.all(HorizontalPodAutoscaler.class)).isEmpty();
		PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		String dataDir = rendered.named(ConfigMap.class, "stamped-sync-config").getData().get("STAMPED_SYNC_DATA_DIR");
		Container container = container(deployment);
		assertThat(container.getVolumeMounts()).anySatisfy((mount) -> {
			assertThat(mount.getMountPath()).isEqualTo(dataDir);
			Volume volume = volume(pod, mount.getName());
			assertThat(volume.getEmptyDir()).isNull();
			assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("stamped-sync-data");
		});
	}

	@Test
	void distributedOverlayScalesOnCpuAndReadsPostgresqlFromASecret() {
		Rendered rendered = render("overlays/distributed");
		Deployment deployment = rendered.only(Deployment.class);
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
		assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
		HorizontalPodAutoscaler autoscaler = rendered.only(HorizontalPodAutoscaler.class);
		assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(3);
		assertThat(autoscaler.getSpec().getMetrics()).singleElement()
			.satisfies((metric) -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));
		Map<String, EnvVar> env = new HashMap<>();
		container(deployment).getEnv().forEach((variable) -> env.put(variable.getName(), variable));
		assertThat(env).containsKeys("SPRING_R2DBC_URL", "SPRING_R2DBC_USERNAME", "SPRING_R2DBC_PASSWORD",
				"SPRING_FLYWAY_URL", "SPRING_FLYWAY_USER", "SPRING_FLYWAY_PASSWORD");
		assertThat(env.values()).filteredOn((variable) -> variable.getName().startsWith("SPRING_R2DBC_"))
			.allSatisfy((variable) -> assertThat(variable.getValueFrom().getSecretKeyRef().getName())
				.isEqualTo("stamped-sync-postgres"));
		assertThat(env).as("base variables survive the patch").containsKey("JAVA_TOOL_OPTIONS");
	}

	@Test
	void jibImageMatchesTheManifests() throws Exception {
		JibSettings jib = JibSettings.read(Path.of("pom.xml"));
		Deployment deployment = render("base").only(Deployment.class);
		Container container = container(deployment);
		assertThat(jib.ports()).containsExactlyInAnyOrderElementsOf(
				container.getPorts().stream().map((port) -> String.valueOf(port.getContainerPort())).toList());
		assertThat(jib.user())
			.startsWith(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser() + ":");
		// The image starts through its script (CDS archive), which gives the JVM its
		// flags.
		assertThat(jib.entrypoint()).containsExactly("/bin/sh", "/opt/stamped-sync/start.sh");
		assertThat(jib.containerizingMode()).isEqualTo("packaged");
		assertThat(Files.readString(Path.of("src/main/jib/opt/stamped-sync/start.sh")))
			.contains("-XX:MaxRAMPercentage=75");
		assertThat(jib.fromImage()).contains("temurin").contains("17");
		assertThat(jib.boundToAPhase()).isFalse();
		assertThat(Manifests.images(Path.of("k8s/overlays/embedded")))
			.anySatisfy((image) -> assertThat(image.path("name").asString()).isEqualTo(container.getImage()));
	}

	@Test
	void catalogBindsRelaxedNamesAndRejectsNearMisses() {
		assertThat(catalog.sources()).as("project metadata from spring-boot-configuration-processor")
			.anySatisfy((source) -> assertThat(source.toString()).contains("target/classes"));
		assertThat(catalog.knows("stamped-sync.data-dir")).isTrue();
		assertThat(catalog.propertyOf("SPRING_R2DBC_URL")).contains("spring.r2dbc.url");
		assertThat(bindingOf("STAMPED_SYNC_SUBSCRIPTIONS_ACME_EU_API_URL"))
			.contains("stamped-sync.subscriptions.acme-eu.api-url");
		for (String nearMiss : List.of("STAMPED_SYNC_DATA_DIRECTORY", "SPRING_R2DBC_URLS", "SPRING_FLYWAY_USERNAME",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_COLOUR", "STAMPED_SYNC_SUBSCRIPTIONS_API_URL",
				"STAMPED_SYNC_SECURITY_TOKENS_ADMIN_SECRETS", "STAMPED_SYNC_DATADIR_X")) {
			assertThat(bindingOf(nearMiss)).as(nearMiss).isEmpty();
		}
	}

	private static void assertSelects(Map<String, String> podLabels, Map<String, String> selector, String by) {
		assertThat(selector).as("selector of the %s", by).isNotEmpty();
		assertThat(podLabels).as("pod labels selected by the %s", by).containsAllEntriesOf(selector);
	}

	private static void assertBinds(String variable) {
		assertThat(bindingOf(variable)).as("the property that %s sets", variable).isPresent();
	}

	/**
	 * The property a variable sets (or "JVM"), from the metadata, else the map patterns.
	 */
	private static Optional<String> bindingOf(String variable) {
		if (JVM_VARIABLES.contains(variable)) {
			return Optional.of("JVM");
		}
		Optional<String> property = catalog.propertyOf(variable);
		if (property.isEmpty() && !catalog.knows(PENDING_TOKENS)) {
			property = PropertyCatalog.entryOf(PENDING_TOKENS, PENDING_TOKEN_FIELDS, variable);
		}
		if (property.isEmpty() && !catalog.knows(SUBSCRIPTIONS)) {
			List<String> settings = Arrays.stream(SubscriptionSettings.class.getRecordComponents())
				.map((component) -> PropertyCatalog.kebab(component.getName()))
				.filter((name) -> !Set.of("id", "version").contains(name))
				.toList();
			property = PropertyCatalog.entryOf(SUBSCRIPTIONS, settings, variable);
		}
		return property;
	}

	private static Rendered render(String kustomization) {
		return Manifests.render(Manifests.ROOT.resolve(kustomization));
	}

	private static Container container(Rendered rendered) {
		return container(rendered.only(Deployment.class));
	}

	private static Container container(Deployment deployment) {
		List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
		assertThat(containers).hasSize(1);
		return containers.get(0);
	}

	private static Volume volume(PodSpec pod, String name) {
		return pod.getVolumes()
			.stream()
			.filter((volume) -> volume.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume " + name));
	}

	private static int resolve(IntOrString port, Container container) {
		if (port.getIntVal() != null) {
			return port.getIntVal();
		}
		return container.getPorts()
			.stream()
			.filter((candidate) -> port.getStrVal().equals(candidate.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
	}

	private static Set<String> secretKeys(Secret secret) {
		Set<String> keys = new HashSet<>();
		Optional.ofNullable(secret.getStringData()).ifPresent((data) -> keys.addAll(data.keySet()));
		Optional.ofNullable(secret.getData()).ifPresent((data) -> keys.addAll(data.keySet()));
		return keys;
	}

	private static String setting(String key) {
		return optionalSetting(key).orElseThrow(() -> new AssertionError(key + " not in application.yml"));
	}

	private static Optional<String> optionalSetting(String key) {
		JsonNode node = application.at("/" + key.replace('.', '/'));
		return node.isMissingNode() ? Optional.empty() : Optional.of(node.asString());
	}

}

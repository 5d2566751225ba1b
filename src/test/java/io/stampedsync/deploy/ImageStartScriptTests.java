package io.stampedsync.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.stampedsync.deploy.Manifests.Rendered;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's start script ({@code src/main/jib/opt/stamped-sync/start.sh}) passes
 * {@code -Dspring.aot.enabled=true} in every mode, unless {@code AOT=0}: the embedded
 * mode so runs the context generated ahead of time, as the documented start does, and
 * {@code startup.AheadOfTimeModeGuard} starts any other mode on the context built at run
 * time. Each case runs the script with the environment a pod of the manifests gets, and a
 * {@code java} that prints its arguments instead of starting; {@code StartupArchiveIT}
 * starts the real one.
 */
class ImageStartScriptTests {

	private static final Path SCRIPT = Path.of("src/main/jib/opt/stamped-sync/start.sh");

	private static final String AOT = "-Dspring.aot.enabled=true";

	@TempDir
	Path work;

	@BeforeEach
	void fakeJavaAndApplication() throws IOException {
		Path bin = Files.createDirectories(this.work.resolve("bin"));
		Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path app = Files.createDirectories(this.work.resolve("app/classpath"));
		Files.writeString(app.resolve("stamped-sync.original.jar"), "jar");
		Files.writeString(this.work.resolve("app/jib-classpath-file"), app + "/*");
		Files.writeString(this.work.resolve("app/jib-main-class-file"), "io.stampedsync.StampedSyncApplication");
		Files.writeString(this.work.resolve("release"), "JAVA_VERSION=\"17\"");
	}

	@Test
	void theEmbeddedOverlayStartsOnTheGeneratedContext() throws Exception {
		assertThat(start(podEnvironment("overlays/embedded"))).contains(AOT);
		assertThat(start(podEnvironment("base"))).as("the base is the embedded mode on an emptyDir").contains(AOT);
	}

	@Test
	void everyOtherModeStartsWithTheFlagToo() throws Exception {
		Map<String, String> distributed = podEnvironment("overlays/distributed");
		assertThat(distributed).containsEntry("STAMPED_SYNC_CLUSTER_ENABLED", "true");
		assertThat(start(distributed)).as("a distributed replica").contains(AOT);
		Map<String, String> embedded = podEnvironment("overlays/embedded");
		List<Map<String, String>> others = List.of(Map.of("SPRING_PROFILES_ACTIVE", "sandbox"),
				Map.of("SPRING_PROFILES_DEFAULT", "sandbox"), Map.of("MANAGEMENT_SERVER_PORT", "8080"),
				Map.of("SPRING_APPLICATION_JSON", "{}"),
				Map.of("JAVA_TOOL_OPTIONS", "-Dstamped-sync.cluster.enabled=true"));
		for (Map<String, String> other : others) {
			Map<String, String> environment = new HashMap<>(embedded);
			environment.putAll(other);
			assertThat(start(environment)).as("%s", other).contains(AOT);
		}
		assertThat(start(embedded, "--spring.profiles.active=sandbox")).contains(AOT);
	}

	@Test
	void aotZeroStartsWithoutIt() throws Exception {
		for (String off : List.of("0", "false")) {
			Map<String, String> environment = new HashMap<>(podEnvironment("overlays/embedded"));
			environment.put("AOT", off);
			assertThat(start(environment)).as("AOT=%s", off).doesNotContain(AOT);
		}
		Map<String, String> on = new HashMap<>(podEnvironment("overlays/embedded"));
		on.put("AOT", "1");
		assertThat(start(on)).contains(AOT);
	}

	@Test
	void theArchiveIsTrainedAndMappedWithTheSameSetting() throws Exception {
		Map<String, String> embedded = podEnvironment("overlays/embedded");
		Map<String, String> withoutAot = new HashMap<>(embedded);
		withoutAot.put("AOT", "0");

		String trainedWith = archive(start(embedded), "-XX:ArchiveClassesAtExit=");
		Files.writeString(Path.of(trainedWith), "archive");
		assertThat(archive(start(embedded), "-XX:SharedArchiveFile=")).isEqualTo(trainedWith);
		assertThat(archive(start(withoutAot), "-XX:ArchiveClassesAtExit="))
			.as("an archive of the other setting is not mapped")
			.isNotEqualTo(trainedWith);
	}

	private static String archive(List<String> arguments, String option) {
		return arguments.stream()
			.filter((argument) -> argument.startsWith(option))
			.map((argument) -> argument.substring(option.length()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + option + " in " + arguments));
	}

	/**
	 * The variables a pod of the kustomization gets: the ConfigMaps' and the container's
	 * own; a value read from a Secret or the pod is a placeholder.
	 */
	private static Map<String, String> podEnvironment(String kustomization) {
		Rendered rendered = Manifests.render(Manifests.ROOT.resolve(kustomization));
		Container container = rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
		Map<String, String> environment = new HashMap<>();
		for (EnvFromSource source : container.getEnvFrom()) {
			environment.putAll(rendered.named(ConfigMap.class, source.getConfigMapRef().getName()).getData());
		}
		for (EnvVar variable : container.getEnv()) {
			environment.put(variable.getName(), (variable.getValue() != null) ? variable.getValue() : "from-elsewhere");
		}
		return environment;
	}

	/** The arguments the script starts the JVM with. */
	private List<String> start(Map<String, String> environment, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of("/bin/sh", SCRIPT.toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> processEnvironment = builder.environment();
		processEnvironment.clear();
		processEnvironment.putAll(environment);
		processEnvironment.put("PATH", this.work.resolve("bin") + ":/usr/bin:/bin");
		processEnvironment.put("JAVA_HOME", this.work.toString());
		processEnvironment.put("APP_ROOT", this.work.resolve("app").toString());
		processEnvironment.put("CDS_ARCHIVE_DIR", this.work.resolve("cds").toString());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		List<String> jvmArguments = output.lines().toList();
		assertThat(jvmArguments).as("the script starts the gateway")
			.contains("@" + this.work + "/app/jib-main-class-file");
		return jvmArguments;
	}

}

package io.stampedsync.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.stampedsync.faults.GatewayProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up settings are applied: {@code package} makes the extracted jar and its
 * class-data-sharing archive (target/app), the documented start maps that archive (and
 * runs a start in another mode on the context built at run time), and the image's start
 * script, on the application laid out as in the image, starts the embedded mode the same
 * way on an archive of its own. Whether a start is fast enough is the business of
 * {@code scripts/startup-time.sh}, not of a test.
 */
class StartupArchiveIT {

	private static final Path APP = Path.of("target", "app");

	private static final Path ARCHIVE = APP.resolve("stamped-sync.jsa");

	/**
	 * The JVM options of the documented start (docs/performance.md, Start-up): the
	 * embedded mode on the context the build generated ahead of time.
	 */
	static final List<String> DOCUMENTED_OPTIONS = List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-XX:+UseSerialGC",
			"-Dspring.aot.enabled=true");

	@TempDir
	Path work;

	@Test
	void theDocumentedStartTakesTheClassesOfAWholeStartFromTheBuildsArchive() throws Exception {
		assertThat(APP.resolve("stamped-sync.jar")).isRegularFile();
		assertThat(APP.resolve("lib")).isDirectory();
		assertThat(ARCHIVE).isRegularFile();

		Path classes = this.work.resolve("classes.log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(DOCUMENTED_OPTIONS);
		// -Xshare:on: a JVM that cannot map the archive refuses to start instead of
		// starting without it (another JDK, changed jars).
		command.addAll(List.of("-Xshare:on", "-Xlog:class+load=info:file=" + classes, "-jar",
				APP.resolve("stamped-sync.jar").toString()));
		// The training run's start: up to the first health and API answers, then a stop.
		command.addAll(List.of("--stamped-sync.startup.training-run=true",
				"--stamped-sync.data-dir=" + this.work.resolve("data"), "--server.port=0",
				"--management.server.port=0"));
		Run run = runToExit(command);
		assertThat(run.exited()).as("the start stops by itself once it answered:\n%s", run.log()).isTrue();
		assertThat(run.exitValue()).as(run.log()).isZero();
		assertThat(run.log()).contains("Training run: /actuator/health answered 200")
			.contains("Training run: /api/v1/subscriptions answered 401");

		assertThat(lines(classes)).anySatisfy((line) -> assertThat(line)
			.contains("io.stampedsync.StampedSyncApplication source: shared objects file (top)"));
		assertClassesCameFromTheArchive(classes);
	}

	/**
	 * The sandbox is another mode than the build's: with the documented options it starts
	 * on the context built at run time (startup.AheadOfTimeModeGuard), so with the
	 * sandbox's own beans, its simulators.
	 */
	@Test
	void aSandboxStartWithTheDocumentedOptionsRunsTheContextBuiltAtRunTime() throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(DOCUMENTED_OPTIONS);
		command.addAll(List.of("-jar", APP.resolve("stamped-sync.jar").toString(), "--spring.profiles.active=sandbox",
				"--stamped-sync.startup.training-run=true", "--stamped-sync.data-dir=" + this.work.resolve("data"),
				"--server.port=0", "--management.server.port=0",
				// The sandbox's subscription names its simulators' ports: no 0 there.
				"--stamped-sync.sandbox.stamped-port=" + GatewayProcess.freePort(),
				"--stamped-sync.sandbox.ipaas-port=" + GatewayProcess.freePort()));
		Run run = runToExit(command);
		assertThat(run.exited()).as("the start stops by itself once it answered:\n%s", run.log()).isTrue();
		assertThat(run.exitValue()).as(run.log()).isZero();
		assertThat(run.log()).contains("profiles='sandbox' (the build's: 'default')")
			.contains("the context is built at run time instead")
			.contains("Sandbox Stamped.io simulator at")
			.contains("Training run: /actuator/health answered 200")
			.doesNotContain("Starting AOT-processed");
	}

	/**
	 * The image's start script on the application laid out as Jib lays it out
	 * (scripts/image-layout.sh), with the embedded overlay's profile setting: its first
	 * start runs the context generated ahead of time and writes the image's archive when
	 * it stops, and the next start takes the classes of the whole start, the generated
	 * context's included, from that archive. Which modes get the generated context is
	 * {@code deploy.ImageStartScriptTests}'s business.
	 */
	@Test
	void theImagesEmbeddedStartRunsTheGeneratedContextOnAnArchiveTrainedSo() throws Exception {
		Path app = this.work.resolve("app");
		Run layout = runToExit(List.of("bash", "scripts/image-layout.sh", app.toString()), Map.of());
		assertThat(layout.exitValue()).as(layout.log()).isZero();
		Path cds = this.work.resolve("cds");
		String javaHome = System.getProperty("java.home");
		Map<String, String> environment = Map.of("APP_ROOT", app.toString(), "CDS_ARCHIVE_DIR", cds.toString(),
				"JAVA_HOME", javaHome, "PATH", javaHome + "/bin:" + System.getenv("PATH"), "SPRING_PROFILES_ACTIVE",
				"default");
		List<String> command = List.of("/bin/sh", "src/main/jib/opt/stamped-sync/start.sh",
				"--stamped-sync.startup.training-run=true", "--stamped-sync.data-dir=" + this.work.resolve("data"),
				"--server.port=0", "--management.server.port=0");

		Run first = runToExit(command, environment);
		assertThat(first.exited()).as("the training start stops by itself:\n%s", first.log()).isTrue();
		assertThat(first.exitValue()).as(first.log()).isZero();
		assertThat(first.log()).contains("Starting AOT-processed StampedSyncApplication")
			.contains("Training run: /actuator/health answered 200");
		List<Path> archives;
		try (Stream<Path> files = Files.list(cds)) {
			archives = files.toList();
		}
		assertThat(archives).singleElement()
			.satisfies((archive) -> assertThat(archive.getFileName().toString()).matches("stamped-sync-\\d+\\.jsa"));

		// -Xshare:on: a JVM that cannot map the archive refuses to start.
		Path classes = this.work.resolve("classes.log");
		Map<String, String> again = new HashMap<>(environment);
		again.put("JAVA_TOOL_OPTIONS", "-Xshare:on -Xlog:class+load=info:file=" + classes);
		Run second = runToExit(command, again);
		assertThat(second.exitValue()).as(second.log()).isZero();
		assertThat(second.log()).contains("Starting AOT-processed StampedSyncApplication");
		assertClassesCameFromTheArchive(classes);
	}

	/**
	 * The layout's libraries are links to target/app/lib: removed here, or JUnit warns of
	 * each when it deletes the directory.
	 */
	@AfterEach
	void removeLinks() throws IOException {
		Path libs = this.work.resolve("app/libs");
		if (Files.isDirectory(libs)) {
			try (Stream<Path> links = Files.list(libs)) {
				for (Path link : links.toList()) {
					Files.delete(link);
				}
			}
		}
	}

	private static List<String> lines(Path file) throws IOException {
		try (Stream<String> stream = Files.lines(file)) {
			return stream.toList();
		}
	}

	private static void assertClassesCameFromTheArchive(Path classes) throws IOException {
		List<String> lines = lines(classes);
		// The context generated ahead of time, and its classes archived by the training
		// run.
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains(
				"io.stampedsync.StampedSyncApplication__BeanFactoryRegistrations source: shared objects file (top)"));
		// Every class read from the application's jars was archived by the same start;
		// the few that may not be (CDS skips old bytecode and classes that fail
		// verification) stay well under a twentieth.
		long fromArchive = lines.stream().filter((line) -> line.contains("source: shared objects file (top)")).count();
		long fromJars = lines.stream()
			.filter((line) -> line.contains("source: jar:") || line.contains("source: file:"))
			.count();
		assertThat(fromArchive).isGreaterThan(5_000);
		assertThat(fromJars).as("classes read from the jars").isLessThan(fromArchive / 20);
	}

	private Run runToExit(List<String> command) throws IOException, InterruptedException {
		return runToExit(command, Map.of());
	}

	/**
	 * Runs the command, with these variables added to the environment and its output to a
	 * log of this test's directory, until it exits (at most five minutes, then it is
	 * killed).
	 */
	private Run runToExit(List<String> command, Map<String, String> environment)
			throws IOException, InterruptedException {
		Path output = Files.createTempFile(this.work, "run-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		boolean exited = process.waitFor(5, TimeUnit.MINUTES);
		if (!exited) {
			process.destroyForcibly().waitFor();
		}
		return new Run(exited, process.exitValue(), Files.readString(output));
	}

	private record Run(boolean exited, int exitValue, String log) {
	}

}

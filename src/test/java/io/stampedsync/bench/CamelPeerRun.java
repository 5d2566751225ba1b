package io.stampedsync.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.stampedsync.TestSubscriptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Camel peer (a jar built elsewhere, given with {@code -Dbench.camelJar}) pushing an
 * NDJSON file of customers into the stub, limits lifted, in a JVM of its own. Its CPU is
 * its whole process's, JVM start included: read from this JVM's ended-children times
 * around the run.
 */
final class CamelPeerRun {

	/** How to get the jar, for the report when it is not given. */
	static final String HOW_TO_BUILD = "skipped: copy the Camel peer's sources to a writable directory, run "
			+ "`mvn -q -B package` there and pass -Dbench.camelJar=<that directory>/target/camel-peer.jar";

	private CamelPeerRun() {
	}

	static Result run(Path jar, String baseUrl, Path workDir, int customers, int connections, Path log)
			throws IOException, InterruptedException {
		Path file = workDir.resolve("camel-customers.ndjson");
		Files.createDirectories(workDir);
		try (InputStream body = new NdjsonBody("camel-", customers)) {
			Files.copy(body, file);
		}
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar.toString(), file.toString(), "--url", baseUrl, "--store", TestSubscriptions.STORE_HASH, "--pub",
				TestSubscriptions.PUBLIC_KEY, "--priv", TestSubscriptions.PRIVATE_KEY, "--limit", "1000000",
				"--window-ms", "1000", "--conc", Integer.toString(connections));
		double cpuBefore = ProcessCpu.endedChildrenSeconds();
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		double wall = (System.nanoTime() - start) / 1e9;
		double cpu = ProcessCpu.endedChildrenSeconds() - cpuBefore;
		String last = output.strip().lines().reduce((first, second) -> second).orElse("");
		if (exit != 0 || !last.startsWith("{")) {
			throw new IllegalStateException("Camel peer exited with " + exit + ": " + output + " (log: " + log + ")");
		}
		JsonNode summary = JsonMapper.builder().build().readTree(last);
		return new Result(summary.get("ok").asLong(), summary.get("failed").asLong(),
				summary.get("perSecond").asDouble(), wall, cpu);
	}

	/**
	 * @param perSecond the peer's own rate (its route, JVM start excluded)
	 * @param wallSeconds from {@code java -jar} to its exit
	 * @param cpuSeconds its whole process's CPU
	 */
	record Result(long ok, long failed, double perSecond, double wallSeconds, double cpuSeconds) {
	}

}

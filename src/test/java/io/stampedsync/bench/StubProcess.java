package io.stampedsync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Stamped.io stub of a benchmark run in a JVM of its own ({@link StubMain}), on the
 * test class path, driven through its stdin and stdout. Every client of a run talks to
 * this one process, so their figures are against the same stub.
 */
final class StubProcess implements AutoCloseable {

	private final Process process;

	private final PrintStream commands;

	private final BufferedReader answers;

	private final int port;

	private final JsonMapper json = JsonMapper.builder().build();

	private StubProcess(Process process) throws IOException {
		this.process = process;
		this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
		this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String first = this.answers.readLine();
		if (first == null || !first.startsWith("port ")) {
			throw new IllegalStateException("stub did not start: " + first);
		}
		this.port = Integer.parseInt(first.substring(5).trim());
	}

	/** Starts the stub with one event-loop thread; its log goes to {@code log}. */
	static StubProcess start(Path log) {
		try {
			Files.createDirectories(log.getParent());
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx512m", "-cp", System.getProperty("java.class.path"), StubMain.class.getName(), "1");
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile()))
				.start();
			return new StubProcess(process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/** Clears customers, counters, latency and rate limit. */
	void reset() {
		command("reset");
	}

	void latency(long millis) {
		command("latency " + millis);
	}

	/** A strict sliding window of {@code limit} calls per {@code windowMillis}. */
	void rateLimit(int limit, long windowMillis) {
		command("limit " + limit + " " + windowMillis);
	}

	/** Calls seen since the last reset: total, accepted, rateLimited, customers... */
	JsonNode stats() {
		return this.json.readTree(command("stats"));
	}

	/** CPU seconds the stub has used so far. */
	double cpuSeconds() {
		return ProcessCpu.seconds(pid());
	}

	private synchronized String command(String line) {
		this.commands.println(line);
		try {
			String answer = this.answers.readLine();
			if (answer == null) {
				throw new IllegalStateException("stub gone (exit " + exitCode() + ")");
			}
			if (answer.startsWith("unknown")) {
				throw new IllegalArgumentException(answer);
			}
			return answer;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String exitCode() {
		return this.process.isAlive() ? "none yet" : Integer.toString(this.process.exitValue());
	}

	@Override
	public void close() {
		// End of stdin ends the stub.
		this.commands.close();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package io.stampedsync.faults;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestTokens;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway ({@code target/stamped-sync-*.jar}) as a child process: started
 * with properties on the command line, on a free port chosen here, and stopped with
 * SIGTERM ({@link #stop()}) or SIGKILL ({@link #kill()}).
 */
public final class GatewayProcess implements AutoCloseable {

	/**
	 * JVM options for a child that lives for seconds and starts several times per test on
	 * 2 shared cores: the client compiler alone and the serial collector start it in
	 * about two thirds of the time. For tests whose assertions depend on neither the JIT
	 * nor the collector; never for measurements.
	 */
	public static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private final Process process;

	private final int port;

	private final int managementPort;

	private final Path log;

	private GatewayProcess(Process process, int port, int managementPort, Path log) {
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
	}

	/**
	 * Starts the jar with {@code jvmOptions} and {@code arguments} (each
	 * {@code --name=value}), the server on a free port, the management server on another;
	 * waits until the API answers.
	 * @param log where the child's output goes
	 */
	public static GatewayProcess start(List<String> jvmOptions, List<String> arguments, Path log) {
		int port = freePort();
		int managementPort = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar().toString());
		command.add("--server.port=" + port);
		command.add("--management.server.port=" + managementPort);
		command.addAll(arguments);
		try {
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
				.start();
			GatewayProcess gateway = new GatewayProcess(process, port, managementPort, log);
			gateway.awaitReady(Duration.ofSeconds(120));
			return gateway;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The jar that {@code package} built (failsafe passes its path). */
	static Path jar() {
		String configured = System.getProperty("stamped-sync.jar");
		if (configured != null && Files.isRegularFile(Path.of(configured))) {
			return Path.of(configured);
		}
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("stamped-sync-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No target/stamped-sync-*.jar: run ./mvnw package"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A port that was free a moment ago. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** The port of the actuator endpoints. */
	public int managementPort() {
		return this.managementPort;
	}

	public long pid() {
		return this.process.pid();
	}

	public GatewayApi api() {
		return GatewayApi.childProcess(this.port);
	}

	/** SIGKILL: the process ends at once, nothing of it runs. */
	public void kill() {
		this.process.destroyForcibly();
		awaitExit(Duration.ofSeconds(30));
	}

	/** SIGTERM: a graceful stop; answers the exit code. */
	public int stop(Duration timeout) {
		this.process.destroy();
		return awaitExit(timeout);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The child's output so far. */
	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				throw new IllegalStateException("gateway " + pid() + " did not stop within " + timeout);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void awaitReady(Duration timeout) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/batches"))
			.header("Authorization", TestTokens.bearer(TestTokens.ADMIN))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			await("gateway ready").atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("gateway exited with " + this.process.exitValue() + ":\n" + tail());
				}
				try {
					return client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
				}
				catch (IOException ex) {
					return false; // not listening yet
				}
			});
		}
		catch (ConditionTimeoutException ex) {
			close();
			throw new IllegalStateException("gateway not ready within " + timeout + ":\n" + tail(), ex);
		}
	}

	private String tail() {
		String all = output();
		return all.substring(Math.max(0, all.length() - 4000));
	}

	/** The common arguments: data directory, loopback URLs allowed. */
	public static List<String> gatewayArguments(File dataDir) {
		List<String> arguments = new ArrayList<>(
				List.of("--stamped-sync.data-dir=" + dataDir, "--stamped-sync.security.allow-loopback-urls=true"));
		arguments.addAll(TestTokens.arguments());
		return arguments;
	}

}

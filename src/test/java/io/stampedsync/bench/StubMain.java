package io.stampedsync.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.SimulatorOptions;
import io.stampedsync.sandbox.StampedSimulator;

/**
 * The sandbox's Stamped.io simulator as a process of its own, so that a benchmark's
 * gateway, stub and load client each have their own CPU figures. Started by
 * {@link StubProcess}; prints {@code port <n>} once listening, then answers one line per
 * command read on stdin ({@code reset}, {@code latency <ms>}, {@code limit <L> <W ms>},
 * {@code stats}) and exits when stdin closes.
 */
public final class StubMain {

	private StubMain() {
	}

	public static void main(String[] args) throws IOException {
		int eventLoops = (args.length > 0) ? Integer.parseInt(args[0]) : 1;
		// stdout carries the answers alone: whatever logs goes to stderr.
		PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		System.setOut(System.err);
		try (StampedSimulator stub = new StampedSimulator(TestSubscriptions.STORE_HASH, TestSubscriptions.PUBLIC_KEY,
				TestSubscriptions.PRIVATE_KEY,
				SimulatorOptions.defaults().withCallLogCapacity(0).withEventLoopThreads(eventLoops))
			.start()) {
			out.println("port " + stub.port());
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				out.println(execute(stub, line.trim().split("\\s+")));
			}
		}
	}

	private static String execute(StampedSimulator stub, String[] command) {
		switch (command[0]) {
			case "reset" -> {
				stub.noRateLimit();
				stub.latency(Duration.ZERO);
				stub.faults().clear();
				stub.store().clear();
				stub.stats().reset();
				return "ok";
			}
			case "latency" -> {
				stub.latency(Duration.ofMillis(Long.parseLong(command[1])));
				return "ok";
			}
			case "limit" -> {
				stub.rateLimit(Integer.parseInt(command[1]), Duration.ofMillis(Long.parseLong(command[2])));
				return "ok";
			}
			case "stats" -> {
				return "{\"total\":" + stub.stats().total() + ",\"accepted\":" + stub.stats().accepted()
						+ ",\"rateLimited\":" + stub.stats().rateLimited() + ",\"maxInFlight\":"
						+ stub.stats().maxInFlight() + ",\"maxArrivalsInWindow\":" + stub.stats().maxArrivalsInWindow()
						+ ",\"customers\":" + stub.store().count() + "}";
			}
			default -> {
				return "unknown command " + command[0];
			}
		}
	}

}

package io.stampedsync.sandbox;

import java.util.function.LongSupplier;

/**
 * How a simulator is started: its port on 127.0.0.1 (0 picks a free one), its clock, the
 * size of its call log and its event-loop threads.
 *
 * @param port port on 127.0.0.1; 0 picks a free one
 * @param nanoTime clock for the sliding windows and the call log
 * @param callLogCapacity calls kept in the call log (the oldest are dropped)
 * @param eventLoopThreads Netty event-loop threads of the simulator's own loop
 */
public record SimulatorOptions(int port, LongSupplier nanoTime, int callLogCapacity, int eventLoopThreads) {

	public SimulatorOptions {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port out of range: " + port);
		}
		if (callLogCapacity < 0 || eventLoopThreads < 1) {
			throw new IllegalArgumentException("callLogCapacity must be >= 0 and eventLoopThreads >= 1");
		}
	}

	/**
	 * A free port, {@link System#nanoTime()}, 10,000 logged calls, one event-loop thread.
	 */
	public static SimulatorOptions defaults() {
		return new SimulatorOptions(0, System::nanoTime, 10_000, 1);
	}

	public SimulatorOptions withPort(int port) {
		return new SimulatorOptions(port, this.nanoTime, this.callLogCapacity, this.eventLoopThreads);
	}

	public SimulatorOptions withNanoTime(LongSupplier nanoTime) {
		return new SimulatorOptions(this.port, nanoTime, this.callLogCapacity, this.eventLoopThreads);
	}

	public SimulatorOptions withCallLogCapacity(int callLogCapacity) {
		return new SimulatorOptions(this.port, this.nanoTime, callLogCapacity, this.eventLoopThreads);
	}

	public SimulatorOptions withEventLoopThreads(int eventLoopThreads) {
		return new SimulatorOptions(this.port, this.nanoTime, this.callLogCapacity, eventLoopThreads);
	}

}

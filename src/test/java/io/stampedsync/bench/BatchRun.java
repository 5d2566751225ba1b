package io.stampedsync.bench;

/**
 * One batch run on a child gateway, as the load client saw it: the records done, the
 * times of its POST, of the 202 and of the final status ({@link System#nanoTime()}), and
 * the CPU seconds the gateway and the stub processes used from just before the POST to
 * just after the final status.
 */
record BatchRun(int customers, long done, long postNanos, long acceptedNanos, long endNanos, double gatewayCpu,
		double stubCpu) {

	/** Transfers per second from the POST to the final status. */
	double perSecond() {
		return this.done / seconds(this.postNanos, this.endNanos);
	}

	/** Transfers per second from the 202 to the final status. */
	double perSecondFromAccepted() {
		return this.done / seconds(this.acceptedNanos, this.endNanos);
	}

	/** Records per second of the POST itself (intake, POST to 202). */
	double intakePerSecond() {
		return this.customers / seconds(this.postNanos, this.acceptedNanos);
	}

	/** The gateway process's CPU seconds per 10,000 transfers done. */
	double gatewayCpuPer10k() {
		return per10k(this.gatewayCpu);
	}

	/** The stub process's CPU seconds per 10,000 transfers done. */
	double stubCpuPer10k() {
		return per10k(this.stubCpu);
	}

	private double per10k(double cpu) {
		return (this.done > 0) ? cpu / (this.done / 10_000.0) : Double.NaN;
	}

	private static double seconds(long from, long to) {
		return (to - from) / 1e9;
	}

}

package io.stampedsync.bench;

/**
 * A stretch of a child gateway's life whose CPU the report notes: by group of threads,
 * the kernel's part, and the window itself in ms since the epoch, to cut a flight
 * recording of the gateway ({@code bench.gatewayJvm}) to it.
 */
final class CpuWindow {

	private final long pid;

	private final ThreadCpu threads;

	private final double systemSeconds;

	private final long startMillis;

	private CpuWindow(long pid) {
		this.pid = pid;
		this.threads = ThreadCpu.of(pid);
		this.systemSeconds = ProcessCpu.systemSeconds(pid);
		this.startMillis = System.currentTimeMillis();
	}

	/** A window of process {@code pid} from now. */
	static CpuWindow start(long pid) {
		return new CpuWindow(pid);
	}

	/** Notes the window from its start to now, under {@code name}. */
	void note(BenchReport report, String name) {
		report.note(name + ": gateway CPU by thread", ThreadCpu.describe(ThreadCpu.of(this.pid).since(this.threads)));
		report.note(name + ": gateway system CPU seconds (the kernel's part of it)",
				ProcessCpu.systemSeconds(this.pid) - this.systemSeconds);
		report.note(name + ": window, ms since the epoch", this.startMillis + " to " + System.currentTimeMillis());
	}

}

package io.stampedsync.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The harness's warm-up, batch figures and CPU by thread, without a gateway. */
class WarmUpTests {

	@Test
	void theWarmUpIsFiveThousandCustomersUnlessToldAndZeroTurnsItOff() {
		assertThat(WarmUp.customers(null)).isEqualTo(WarmUp.DEFAULT_CUSTOMERS).isEqualTo(5_000);
		assertThat(WarmUp.customers(" ")).isEqualTo(5_000);
		assertThat(WarmUp.customers("20000")).isEqualTo(20_000);
		assertThat(WarmUp.customers("0")).isZero();
		assertThatIllegalArgumentException().isThrownBy(() -> WarmUp.customers("-1"));
	}

	@Test
	void aProcessIsQuietUnderATenthOfACore() {
		assertThat(WarmUp.quiet(0.04, 0.5)).isTrue();
		assertThat(WarmUp.quiet(0.05, 0.5)).isFalse();
		assertThat(WarmUp.quiet(0.3, 0.5)).isFalse();
	}

	@Test
	void theWaitEndsAtTheFirstQuietInterval() {
		// Half a core for two intervals of 10 ms, then idle.
		AtomicInteger readings = new AtomicInteger();
		double[] cpu = { 0, 0.005, 0.010, 0.010, 0.010 };
		AtomicLong clock = new AtomicLong();
		Duration waited = WarmUp.awaitQuiet(() -> cpu[Math.min(readings.getAndIncrement(), cpu.length - 1)], clock::get,
				() -> clock.addAndGet(10_000_000), Duration.ofMinutes(1));
		assertThat(readings).hasValue(4);
		assertThat(waited).isEqualTo(Duration.ofMillis(30));
	}

	@Test
	void theWaitEndsAfterItsBoundWhenTheProcessNeverQuietens() {
		// A full core, always.
		AtomicLong clock = new AtomicLong();
		Duration waited = WarmUp.awaitQuiet(() -> clock.get() / 1e9, clock::get, () -> clock.addAndGet(10_000_000),
				Duration.ofMillis(50));
		assertThat(waited).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void aBatchRunsFiguresArePerSecondAndPerTenThousandTransfers() {
		long second = 1_000_000_000L;
		BatchRun run = new BatchRun(20_000, 20_000, 0, second / 2, 5 * second, 8.0, 2.0);
		assertThat(run.perSecond()).isCloseTo(4_000, within(1e-9));
		assertThat(run.perSecondFromAccepted()).isCloseTo(20_000 / 4.5, within(1e-9));
		assertThat(run.intakePerSecond()).isCloseTo(40_000, within(1e-9));
		assertThat(run.gatewayCpuPer10k()).isCloseTo(4.0, within(1e-9));
		assertThat(run.stubCpuPer10k()).isCloseTo(1.0, within(1e-9));
		assertThat(new BatchRun(10, 0, 0, 1, 2, 1.0, 1.0).gatewayCpuPer10k()).isNaN();
	}

	@Test
	void threadsGoTogetherByNameWithoutTheirNumbers() {
		assertThat(ThreadCpu.group("reactor-http-epoll-2")).isEqualTo("reactor-http-epoll");
		assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
		assertThat(ThreadCpu.group("C1 CompilerThre")).isNotEqualTo(ThreadCpu.group("C2 CompilerThre"));
		assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC Thread");
		assertThat(ThreadCpu.group("journal-12")).isEqualTo("journal");
		assertThat(ThreadCpu.describe(Map.of("a", 3.0, "b", 1.0)))
			.isEqualTo("total 4.00 s; a 3.00 s (75 %); b 1.00 s (25 %)");
	}

	@Test
	void theThreadsOfThisProcessAreRead() throws Exception {
		ThreadCpu before = ThreadCpu.of(ProcessHandle.current().pid());
		// 100 ms of this thread's own CPU (not of the wall clock): ten ticks of /proc.
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long until = threads.getCurrentThreadCpuTime() + 100_000_000;
		long spins = 0;
		while (threads.getCurrentThreadCpuTime() < until) {
			spins++;
		}
		assertThat(spins).isPositive();
		String name = Files.readString(Path.of("/proc/thread-self/comm")).trim();
		assertThat(ThreadCpu.of(ProcessHandle.current().pid()).since(before)).hasEntrySatisfying(ThreadCpu.group(name),
				(seconds) -> assertThat(seconds).isGreaterThanOrEqualTo(0.05));
	}

}

package io.stampedsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads, read from Linux's {@code /proc/<pid>/task}: which
 * threads a window's CPU went to (the JIT's compiler threads against the event loops and
 * the journal's), without a profiler in the process.
 */
final class ThreadCpu {

	/** Clock ticks per second of {@code /proc/<pid>/task/<tid>/stat}. */
	private static final double TICKS = 100.0;

	private final Map<String, Thread> threads;

	private ThreadCpu(Map<String, Thread> threads) {
		this.threads = threads;
	}

	/** The CPU of every live thread of {@code pid} so far. */
	static ThreadCpu of(long pid) {
		Map<String, Thread> threads = new HashMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			tasks.forEach(
					(task) -> read(task).ifPresent((thread) -> threads.put(task.getFileName().toString(), thread)));
		}
		catch (IOException ex) {
			// The process ended: no threads.
		}
		return new ThreadCpu(threads);
	}

	private static Optional<Thread> read(Path task) {
		try {
			String line = Files.readString(task.resolve("stat"));
			int open = line.indexOf('(');
			int close = line.lastIndexOf(')');
			String[] fields = line.substring(close + 2).split(" ");
			return Optional.of(new Thread(line.substring(open + 1, close),
					(Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS));
		}
		catch (IOException | RuntimeException ex) {
			// A thread that ended while the directory was read.
			return Optional.empty();
		}
	}

	/**
	 * CPU seconds from {@code before} to this reading, summed by group of threads (the
	 * thread's name without its numbers); a thread that ended in between is not counted.
	 */
	Map<String, Double> since(ThreadCpu before) {
		Map<String, Double> groups = new TreeMap<>();
		this.threads.forEach((tid, thread) -> {
			Thread earlier = before.threads.get(tid);
			double used = thread.seconds() - ((earlier != null) ? earlier.seconds() : 0);
			if (used > 0) {
				groups.merge(group(thread.name()), used, Double::sum);
			}
		});
		return groups;
	}

	/**
	 * The group of a thread: its name without the numbers that follow a separator or end
	 * it (every {@code reactor-http-epoll-n} goes together; {@code C1 CompilerThre} and
	 * {@code C2 CompilerThre} stay apart).
	 */
	static String group(String name) {
		return name.replaceAll("[-_ #]+\\d+|\\d+$", "").trim();
	}

	/** "name 1.23 s (45 %)", largest first, of the groups' shares of their total. */
	static String describe(Map<String, Double> groups) {
		double total = groups.values().stream().mapToDouble(Double::doubleValue).sum();
		StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "total %.2f s", total));
		groups.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.forEach((group) -> text.append(String.format(Locale.ROOT, "; %s %.2f s (%.0f %%)", group.getKey(),
					group.getValue(), 100 * group.getValue() / total)));
		return text.toString();
	}

	private record Thread(String name, double seconds) {
	}

}

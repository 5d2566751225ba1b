package io.stampedsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) of one process, read from Linux's {@code /proc}: the figure of
 * a child JVM alone, whatever else runs on the machine.
 */
final class ProcessCpu {

	/** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux of ours. */
	private static final double TICKS = 100.0;

	private ProcessCpu() {
	}

	/** Seconds of CPU the live process {@code pid} has used so far. */
	static double seconds(long pid) {
		String[] fields = fields(Path.of("/proc", Long.toString(pid), "stat"));
		// utime and stime: fields 14 and 15 of stat, 12th and 13th after the name.
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
	}

	/**
	 * Seconds of CPU the live process {@code pid} has used so far in the kernel (system
	 * time: system calls, and the loopback's TCP work done on their way), a part of
	 * {@link #seconds}.
	 */
	static double systemSeconds(long pid) {
		String[] fields = fields(Path.of("/proc", Long.toString(pid), "stat"));
		return Long.parseLong(fields[12]) / TICKS;
	}

	/**
	 * Seconds of CPU used by this JVM's children that have ended and been waited for:
	 * around the run of one child, the difference is that child's whole CPU, start and
	 * exit included.
	 */
	static double endedChildrenSeconds() {
		String[] fields = fields(Path.of("/proc", "self", "stat"));
		// cutime and cstime: fields 16 and 17.
		return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS;
	}

	private static String[] fields(Path stat) {
		try {
			String line = Files.readString(stat);
			// The name in parentheses may hold spaces: split after its closing one.
			return line.substring(line.lastIndexOf(')') + 2).split(" ");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

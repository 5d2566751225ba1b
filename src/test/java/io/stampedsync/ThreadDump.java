package io.stampedsync;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Every thread's full stack, for a test that gives up waiting on an answer: a timeout
 * alone does not say whether the server never read the request, waited on the journal or
 * a scheduler, or the client never got the response.
 */
public final class ThreadDump {

	private ThreadDump() {
	}

	/** The stacks and held or awaited locks of every live thread, now. */
	public static String now() {
		StringBuilder dump = new StringBuilder();
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
			dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
			if (info.getLockName() != null) {
				dump.append(" on ").append(info.getLockName());
				if (info.getLockOwnerName() != null) {
					dump.append(" held by \"").append(info.getLockOwnerName()).append('"');
				}
			}
			dump.append('\n');
			for (StackTraceElement frame : info.getStackTrace()) {
				dump.append("    at ").append(frame).append('\n');
			}
		}
		return dump.toString();
	}

}

package io.stampedsync.environment;

import io.stampedsync.web.KeepAliveRequests;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The gateways of the test JVM run without {@code main}: this sets what {@code main} sets
 * for Reactor Netty's servers ({@link KeepAliveRequests}) before any test class loads, so
 * before any simulator or gateway starts a server. Registered in
 * {@code META-INF/services}.
 */
public final class ServerKeepAlive implements LauncherSessionListener {

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		KeepAliveRequests.answerEveryOne();
	}

}

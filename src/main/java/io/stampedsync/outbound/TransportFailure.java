package io.stampedsync.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * What went wrong below HTTP: no response in time, or the connection failed. Shared by
 * the Stamped.io and iPaaS.com clients so both classify alike.
 */
public enum TransportFailure {

	/** No response (or no further body bytes) within the response timeout. */
	TIMEOUT("no response within the response timeout"),

	/** The connection could not be opened in time. */
	CONNECT_TIMEOUT("connect timeout"),

	/** Nobody listens at the address. */
	REFUSED("connection refused"),

	/** The server closed the connection before the response was complete. */
	CLOSED_EARLY("connection closed before the response was complete"),

	/** Another I/O failure: reset, broken pipe, unknown host. */
	IO("network error"),

	/** Not a transport failure. */
	OTHER("unexpected failure");

	private final String description;

	TransportFailure(String description) {
		this.description = description;
	}

	/**
	 * A short description without addresses or credentials, fit for a user message.
	 */
	public String description() {
		return this.description;
	}

	/** Whether this is one of the timeouts. */
	public boolean isTimeout() {
		return this == TIMEOUT;
	}

	/** Classifies {@code failure} by walking its causes. */
	public static TransportFailure of(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			TransportFailure found = direct(t);
			if (found != null) {
				return found;
			}
		}
		return OTHER;
	}

	/** The innermost cause worth keeping (the transport exception itself). */
	public static Throwable rootOf(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static TransportFailure direct(Throwable t) {
		if (t instanceof ReadTimeoutException || t instanceof TimeoutException) {
			return TIMEOUT;
		}
		if (t instanceof ConnectTimeoutException) {
			return CONNECT_TIMEOUT;
		}
		if (t instanceof ConnectException) {
			return REFUSED;
		}
		if (t instanceof PrematureCloseException || t instanceof AbortedException
				|| t instanceof ClosedChannelException) {
			return CLOSED_EARLY;
		}
		if (t instanceof SocketException || t instanceof IOException) {
			return IO;
		}
		return null;
	}

}

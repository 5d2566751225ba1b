package io.stampedsync.web;

/**
 * Makes Reactor Netty's HTTP server answer every request of a keep-alive connection.
 * <p>
 * A client that sends its next request the moment it has read an answer (any HTTP/1.1
 * client with a connection pool) can get that request to the server before the server has
 * finished the previous exchange on its side. Reactor Netty 1.3.6 then queues the request
 * as if it were pipelined and, once the queue drains, stops reading the connection: the
 * next request on it is never answered until the client gives up and closes it (seen on
 * the management port: a loop of GETs of the liveness probe, each answer read, hung
 * within a few hundred requests under load; fixed upstream in a later Reactor Netty).
 * With {@code reactor.netty.http.server.lastFlushWhenNoRead} the server ends the previous
 * exchange when it writes the answer's last part, so the next request is served at once:
 * the same loop passed 12,000 requests under the same load.
 * <p>
 * The flag is read once, when Reactor Netty's server classes load, so it is set before
 * any server starts: by {@code main} and, in the tests, for the whole test JVM. A value
 * set on the command line wins.
 */
public final class KeepAliveRequests {

	static final String PROPERTY = "reactor.netty.http.server.lastFlushWhenNoRead";

	private KeepAliveRequests() {
	}

	/** Sets the flag unless the command line set it. */
	public static void answerEveryOne() {
		if (System.getProperty(PROPERTY) == null) {
			System.setProperty(PROPERTY, "true");
		}
	}

}

package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;

/**
 * One event of a batch's SSE stream as the bytes written to the wire, encoded once: a
 * live event goes to every watcher of its batch, and each of them writes these same bytes
 * (joined with the others of its {@link SseChunk}) rather than encode the event again.
 *
 * @param event the event, {@code null} for a heartbeat comment
 * @param bytes the event in {@code text/event-stream} form, blank line included
 * @param finalStatus whether it ends the batch's stream (a final status)
 */
record SseFrame(BatchEvent event, byte[] bytes, boolean finalStatus) {

	private static final SseFrame HEARTBEAT = new SseFrame(null, ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8),
			false);

	/** A heartbeat comment: keeps proxies and load balancers from closing the stream. */
	static SseFrame heartbeat() {
		return HEARTBEAT;
	}

	/**
	 * The bytes of an event with an id (its number in the log, if any), a type (if any)
	 * and its data.
	 */
	static byte[] encode(String id, String type, String data) {
		StringBuilder text = new StringBuilder(data.length() + 32);
		if (id != null) {
			text.append("id:").append(id).append('\n');
		}
		if (type != null) {
			text.append("event:").append(type).append('\n');
		}
		// Each line of the data is a data field of its own (CR, LF or CRLF end a line
		// in SSE); JSON has none, but a line break must never end the event early.
		text.append("data:");
		for (int i = 0; i < data.length(); i++) {
			char c = data.charAt(i);
			if (c == '\r' || c == '\n') {
				if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
					i++;
				}
				text.append("\ndata:");
			}
			else {
				text.append(c);
			}
		}
		return text.append("\n\n").toString().getBytes(StandardCharsets.UTF_8);
	}

}

package io.stampedsync.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * A {@code text/event-stream} parser over one stream's bytes as they arrive, for a load
 * client with hundreds of streams: it follows the format (lines ended by CR, LF or CRLF,
 * comments, {@code field:value} with one optional space, data lines joined, an event
 * dispatched at a blank line only if it has data) but keeps the event's type as a kind
 * and its data as bytes, and reads a record event's {@code "index"} from those bytes. No
 * String, event object or regex per event: with 500 streams in the load client's JVM, on
 * the cores the gateway needs, Spring's decoder into {@code ServerSentEvent<String>} and
 * a regex per event were what the watchers cost the batch.
 */
final class SseScanner {

	/** An event of any other type, or of none ({@code message}). */
	static final int OTHER = 0;

	/** A {@code record} event. */
	static final int RECORD = 1;

	/** A {@code status} event with a final status: its stream ends after it. */
	static final int FINAL_STATUS = 2;

	/** A {@code status} event (the type as read; told as final or other). */
	private static final int STATUS = 3;

	private static final byte[] EVENT = bytes("event");

	private static final byte[] DATA = bytes("data");

	private static final byte[] RECORD_TYPE = bytes("record");

	private static final byte[] STATUS_TYPE = bytes("status");

	private static final byte[] INDEX = bytes("\"index\":");

	private static final byte[][] FINAL = { bytes("\"status\":\"completed\""),
			bytes("\"status\":\"completed_with_errors\""), bytes("\"status\":\"cancelled\"") };

	private final Listener listener;

	/** The line being read, which may span reads. */
	private byte[] line = new byte[512];

	private int lineLength;

	/** The last line ended with CR: an LF right after it belongs to that end. */
	private boolean afterCr;

	private int type = OTHER;

	private byte[] data = new byte[512];

	private int dataLength;

	private boolean hasData;

	SseScanner(Listener listener) {
		this.listener = listener;
	}

	/** Reads the bytes, dispatching every event they complete. */
	void read(ByteBuf bytes) {
		int at = bytes.readerIndex();
		int end = bytes.writerIndex();
		while (at < end) {
			if (this.afterCr) {
				this.afterCr = false;
				if (bytes.getByte(at) == '\n') {
					at++;
					continue;
				}
			}
			int eol = bytes.forEachByte(at, end - at, ByteProcessor.FIND_CRLF);
			if (eol < 0) {
				append(bytes, at, end - at);
				return;
			}
			append(bytes, at, eol - at);
			this.afterCr = bytes.getByte(eol) == '\r';
			line();
			at = eol + 1;
		}
	}

	private void append(ByteBuf bytes, int from, int length) {
		if (this.lineLength + length > this.line.length) {
			this.line = Arrays.copyOf(this.line, Math.max(this.line.length * 2, this.lineLength + length));
		}
		bytes.getBytes(from, this.line, this.lineLength, length);
		this.lineLength += length;
	}

	private void line() {
		int length = this.lineLength;
		this.lineLength = 0;
		if (length == 0) {
			dispatch();
			return;
		}
		if (this.line[0] == ':') {
			return;
		}
		int colon = 0;
		while (colon < length && this.line[colon] != ':') {
			colon++;
		}
		int value = Math.min(colon + 1, length);
		if (value < length && this.line[value] == ' ') {
			value++;
		}
		if (is(EVENT, 0, colon)) {
			this.type = is(RECORD_TYPE, value, length) ? RECORD : is(STATUS_TYPE, value, length) ? STATUS : OTHER;
		}
		else if (is(DATA, 0, colon)) {
			int more = length - value + (this.hasData ? 1 : 0);
			if (this.dataLength + more > this.data.length) {
				this.data = Arrays.copyOf(this.data, Math.max(this.data.length * 2, this.dataLength + more));
			}
			if (this.hasData) {
				this.data[this.dataLength++] = '\n';
			}
			System.arraycopy(this.line, value, this.data, this.dataLength, length - value);
			this.dataLength += length - value;
			this.hasData = true;
		}
		// id, retry and unknown fields: not needed here.
	}

	private void dispatch() {
		if (this.hasData) {
			if (this.type == RECORD) {
				this.listener.event(RECORD, number(INDEX));
			}
			else {
				this.listener.event((this.type == STATUS && isFinal()) ? FINAL_STATUS : OTHER, -1);
			}
		}
		this.type = OTHER;
		this.hasData = false;
		this.dataLength = 0;
	}

	/** Whether the line's bytes from {@code from} to {@code to} are {@code word}. */
	private boolean is(byte[] word, int from, int to) {
		return to - from == word.length && Arrays.equals(this.line, from, to, word, 0, word.length);
	}

	private boolean isFinal() {
		for (byte[] status : FINAL) {
			if (find(status) >= 0) {
				return true;
			}
		}
		return false;
	}

	/** The number right after the data's first {@code key}; -1 without one. */
	private int number(byte[] key) {
		int at = find(key);
		if (at < 0) {
			return -1;
		}
		int digit = at + key.length;
		int number = 0;
		boolean any = false;
		while (digit < this.dataLength && this.data[digit] >= '0' && this.data[digit] <= '9') {
			number = number * 10 + (this.data[digit++] - '0');
			any = true;
		}
		return any ? number : -1;
	}

	/** Where {@code key} first is in the data; -1 if it is not. */
	private int find(byte[] key) {
		int last = this.dataLength - key.length;
		for (int at = 0; at <= last; at++) {
			if (this.data[at] == key[0] && Arrays.equals(this.data, at, at + key.length, key, 0, key.length)) {
				return at;
			}
		}
		return -1;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Told of every event the stream dispatches, in order. */
	interface Listener {

		/**
		 * @param kind {@link #RECORD}, {@link #FINAL_STATUS} or {@link #OTHER}
		 * @param index a record event's {@code "index"}, else -1
		 */
		void event(int kind, int index);

	}

}

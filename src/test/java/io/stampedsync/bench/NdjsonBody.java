package io.stampedsync.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An NDJSON body of {@code count} distinct customers, made as it is read: a body of a
 * million records never sits in memory.
 */
final class NdjsonBody extends InputStream {

	private final String prefix;

	private final int count;

	private int next;

	private byte[] line = new byte[0];

	private int position;

	NdjsonBody(String prefix, int count) {
		this.prefix = prefix;
		this.count = count;
	}

	/** One customer line, with its newline. */
	static String line(String prefix, int i) {
		return "{\"id\":\"" + prefix + i + "\",\"email_address\":\"" + prefix + i
				+ "@example.com\",\"customer_number\":\"C" + i + "\",\"first_name\":\"First\",\"last_name\":\"Last" + i
				+ "\"}\n";
	}

	@Override
	public int read() {
		if (!fill()) {
			return -1;
		}
		return this.line[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) {
		int read = 0;
		while (read < length && fill()) {
			int n = Math.min(length - read, this.line.length - this.position);
			System.arraycopy(this.line, this.position, buffer, offset + read, n);
			this.position += n;
			read += n;
		}
		return (read == 0 && length > 0) ? -1 : read;
	}

	private boolean fill() {
		if (this.position < this.line.length) {
			return true;
		}
		if (this.next >= this.count) {
			return false;
		}
		this.line = line(this.prefix, this.next++).getBytes(StandardCharsets.UTF_8);
		this.position = 0;
		return true;
	}

}

package io.stampedsync.batch;

/**
 * A batch body that is not well-formed JSON or NDJSON, or not shaped as a batch (a JSON
 * body that is not one array). Says where (1-based line and column, 0-based byte offset)
 * and what, without echoing the body. The whole batch is refused: a syntax error leaves
 * no reliable way to tell where the following records start.
 */
public class MalformedBodyException extends RuntimeException {

	private final int line;

	private final int column;

	private final long byteOffset;

	private final String detail;

	public MalformedBodyException(int line, int column, long byteOffset, String detail) {
		super("Malformed body at line " + line + ", column " + column + " (byte " + byteOffset + "): " + detail);
		this.line = line;
		this.column = column;
		this.byteOffset = byteOffset;
		this.detail = detail;
	}

	/** The 1-based line of the problem. */
	public int line() {
		return this.line;
	}

	/** The 1-based column of the problem, counted in bytes. */
	public int column() {
		return this.column;
	}

	/** The 0-based byte offset of the problem in the body. */
	public long byteOffset() {
		return this.byteOffset;
	}

	/** What is wrong, without the location. */
	public String detail() {
		return this.detail;
	}

}

package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import io.stampedsync.transfer.IpaasCustomer;
import reactor.core.publisher.Flux;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.TokenBuffer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;

/**
 * Reads a batch body (a JSON array or NDJSON of iPaaS.com customers) as it arrives, one
 * record at a time, with memory bounded by the record size cap whatever the body size. A
 * record that is not an object, too large, or not bindable is rejected and the stream
 * goes on; a syntax error ends it with a {@link MalformedBodyException}.
 */
class CustomerStreamParser {

	/** The default largest record, in bytes of its JSON text. */
	static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

	private static final int MAX_DETAIL_LENGTH = 200;

	private final JsonFactory factory;

	private final ObjectReader reader;

	private final int maxRecordBytes;

	CustomerStreamParser(JsonMapper mapper, int maxRecordBytes) {
		if (maxRecordBytes < 2) {
			throw new IllegalArgumentException("maxRecordBytes must be at least 2, was " + maxRecordBytes);
		}
		// A string or name longer than the cap makes its record too large anyway; the
		// limit keeps the tokenizer from holding much more than that in its text buffer
		// (it checks per buffer segment, so a little more may pass and be rejected).
		StreamReadConstraints constraints = StreamReadConstraints.builder()
			.maxStringLength(maxRecordBytes)
			.maxNameLength(Math.min(maxRecordBytes, StreamReadConstraints.DEFAULT_MAX_NAME_LEN))
			.build();
		this.factory = JsonFactory.builder().streamReadConstraints(constraints).build();
		this.reader = mapper.readerFor(IpaasCustomer.class);
		this.maxRecordBytes = maxRecordBytes;
	}

	/**
	 * The records of {@code body}, in order. Reads ahead by one record at most: buffers
	 * are requested one at a time, and only until a record is ready for the subscriber's
	 * next request. Every buffer is released.
	 */
	Flux<ParsedRecord> parse(Flux<DataBuffer> body, Format format) {
		return Flux.defer(() -> {
			Tokenizer tokenizer = new Tokenizer(format);
			return body.concatMapIterable(tokenizer::feed, 1)
				.concatWith(Flux.defer(() -> Flux.fromIterable(tokenizer.finish())))
				// Buffers prefetched but never parsed (cancel, error) are discarded here.
				// Not the one being fed: feed released it already, and when feed throws,
				// concatMapIterable discards it once more.
				.doOnDiscard(DataBuffer.class, tokenizer::releaseUnfed);
		});
	}

	/** The two body formats a batch accepts. */
	enum Format {

		/** {@code application/json}: one array of customer objects. */
		JSON_ARRAY,

		/**
		 * {@code application/x-ndjson}: one customer object per line, blank lines
		 * skipped.
		 */
		NDJSON;

		/**
		 * The format for a request's content type, ignoring parameters; empty if
		 * unsupported.
		 */
		static Optional<Format> forContentType(MediaType contentType) {
			if (contentType == null) {
				return Optional.empty();
			}
			if (contentType.equalsTypeAndSubtype(MediaType.APPLICATION_NDJSON)) {
				return Optional.of(NDJSON);
			}
			if (contentType.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)) {
				return Optional.of(JSON_ARRAY);
			}
			return Optional.empty();
		}

	}

	/**
	 * The state of one body: Jackson's non-blocking tokenizer reads every byte once. The
	 * tokens of the current record are kept (up to the cap) and bound once it closes,
	 * without tokenizing its bytes again; its bytes are copied aside as its payload. Used
	 * by one subscriber, serially, as Reactive Streams guarantees.
	 */
	private final class Tokenizer {

		private static final byte[] NO_BYTES = {};

		private static final byte[] BYTE_ORDER_MARK = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

		private final JsonParser parser;

		private final ByteArrayFeeder feeder;

		/** The last byte fed, for {@link #neverUtf8}. */
		private int lastByte;

		private final boolean ndjson;

		/** Open containers, the JSON array's own bracket included. */
		private int depth;

		/** Containers open around a record: 1 inside the JSON array, 0 in NDJSON. */
		private final int recordDepth;

		private boolean arrayOpened;

		private boolean arrayClosed;

		private int nextIndex;

		private int lastRecordLine;

		private boolean inRecord;

		private boolean recordIsObject;

		private boolean oversized;

		private long recordStart;

		private int recordLine;

		private int recordColumn;

		private long captureFrom;

		private byte[] captured = new byte[256];

		private int capturedLength;

		private long bytesFed;

		private boolean bomMismatch;

		/** The tokens of the current record, while it fits under the cap. */
		private TokenBuffer tokens;

		/**
		 * Whether the last byte other than white space fed so far is a comma, and no
		 * token came after it: see {@link #refuseTrailingComma}.
		 */
		private boolean afterComma;

		/** The buffer {@link #feed} took last. */
		private volatile DataBuffer fed;

		private int bomLength;

		Tokenizer(Format format) {
			this.parser = CustomerStreamParser.this.factory.createNonBlockingByteArrayParser(ObjectReadContext.empty());
			this.feeder = (ByteArrayFeeder) this.parser.nonBlockingInputFeeder();
			this.ndjson = format == Format.NDJSON;
			this.recordDepth = this.ndjson ? 0 : 1;
		}

		/** Releases a buffer unless it is the one {@link #feed} took (and released). */
		void releaseUnfed(DataBuffer buffer) {
			if (buffer != this.fed) {
				DataBufferUtils.release(buffer);
			}
		}

		Iterable<ParsedRecord> feed(DataBuffer buffer) {
			this.fed = buffer;
			byte[] chunk;
			try {
				chunk = new byte[buffer.readableByteCount()];
				buffer.read(chunk);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			if (chunk.length == 0) {
				return List.of();
			}
			long chunkStart = this.bytesFed;
			noteByteOrderMark(chunk);
			this.bytesFed += chunk.length;
			int invalid = neverUtf8(chunk, this.lastByte);
			this.lastByte = chunk[chunk.length - 1] & 0xFF;
			if (invalid >= 0) {
				TokenStreamLocation at = this.parser.currentLocation();
				throw malformed(Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()), chunkStart + invalid,
						String.format("byte 0x%02X is not valid UTF-8 here (overlong or out-of-range encoding)",
								chunk[invalid] & 0xFF));
			}
			List<ParsedRecord> records = new ArrayList<>();
			try {
				this.feeder.feedInput(chunk, 0, chunk.length);
				drain(chunk, chunkStart, records);
			}
			catch (MalformedBodyException ex) {
				return thenFail(records, ex);
			}
			if (this.inRecord) {
				capture(chunk, chunkStart, this.bytesFed);
			}
			this.afterComma = endsWithComma(chunk, this.afterComma);
			return records;
		}

		/**
		 * Whether {@code chunk} ends with a comma and white space at most, or holds white
		 * space only after one that did ({@code before}).
		 */
		private static boolean endsWithComma(byte[] chunk, boolean before) {
			for (int i = chunk.length - 1; i >= 0; i--) {
				byte b = chunk[i];
				if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
					return b == ',';
				}
			}
			return before;
		}

		/**
		 * The index of the first byte that no valid UTF-8 holds at its place, or -1:
		 * Jackson refuses most invalid bytes but decodes overlong forms ({@code C0 AF}
		 * for {@code /}), out-of-range lead bytes and surrogates. {@code before} is the
		 * last byte of the previous chunk, so a pair split between chunks is seen too.
		 */
		static int neverUtf8(byte[] chunk, int before) {
			int previous = before;
			for (int i = 0; i < chunk.length; i++) {
				int b = chunk[i] & 0xFF;
				if (b >= 0x80) {
					if (b == 0xC0 || b == 0xC1 || b >= 0xF5) {
						return i;
					}
					boolean continuation = b <= 0xBF;
					if (continuation && ((previous == 0xE0 && b < 0xA0) || (previous == 0xF0 && b < 0x90)
							|| (previous == 0xED && b >= 0xA0) || (previous == 0xF4 && b >= 0x90))) {
						return i;
					}
				}
				previous = b;
			}
			return -1;
		}

		/**
		 * Jackson skips a leading UTF-8 byte order mark without counting it in its
		 * offsets; the record bytes are copied by offset, so we count it back in.
		 */
		private void noteByteOrderMark(byte[] chunk) {
			for (int i = 0; i < chunk.length && this.bytesFed + i < BYTE_ORDER_MARK.length; i++) {
				if (chunk[i] != BYTE_ORDER_MARK[(int) this.bytesFed + i]) {
					this.bomMismatch = true;
				}
			}
			if (this.bytesFed + chunk.length >= BYTE_ORDER_MARK.length && !this.bomMismatch) {
				this.bomLength = BYTE_ORDER_MARK.length;
			}
		}

		/** The offset of {@code location} in the body as received. */
		private long offset(TokenStreamLocation location) {
			return location.getByteOffset() + this.bomLength;
		}

		Iterable<ParsedRecord> finish() {
			List<ParsedRecord> records = new ArrayList<>(1);
			try {
				this.feeder.endOfInput();
				drain(NO_BYTES, this.bytesFed, records);
				if (this.inRecord || (this.arrayOpened && !this.arrayClosed)) {
					throw malformed(this.parser.currentLocation(), "the body ended inside "
							+ (this.inRecord ? "record " + this.nextIndex : "the array") + "; it is cut short");
				}
				if (!this.ndjson && !this.arrayOpened) {
					throw malformed(this.parser.currentLocation(), "the body is empty; expected a JSON array");
				}
			}
			catch (MalformedBodyException ex) {
				return thenFail(records, ex);
			}
			this.parser.close();
			return records;
		}

		private void drain(byte[] chunk, long chunkStart, List<ParsedRecord> records) {
			JsonToken token;
			while ((token = nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
				refuseTrailingComma(token);
				if (this.inRecord) {
					continueRecord(token, chunk, chunkStart, records);
				}
				else if (this.ndjson || this.depth > 0) {
					if (!this.ndjson && token == JsonToken.END_ARRAY) {
						this.depth = 0;
						this.arrayClosed = true;
					}
					else {
						startRecord(token, records);
					}
				}
				else {
					openArray(token);
				}
			}
		}

		/**
		 * jackson-core 3.1's non-blocking tokenizer accepts a closing bracket right after
		 * a comma when the comma ended a fed chunk ({@code {"id": "2",} split after the
		 * comma). The token is the first after feeding again: it is refused here, where
		 * the bracket stands.
		 */
		private void refuseTrailingComma(JsonToken token) {
			if (!this.afterComma) {
				return;
			}
			this.afterComma = false;
			if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
				TokenStreamLocation at = this.parser.currentTokenLocation();
				throw malformed(at.getLineNr(), at.getColumnNr(), offset(this.parser.currentLocation()) - 1,
						"Unexpected character ('" + ((token == JsonToken.END_OBJECT) ? '}' : ']')
								+ "'): a comma must be followed by a value");
			}
		}

		private void openArray(JsonToken token) {
			if (this.arrayClosed) {
				throw malformed(this.parser.currentTokenLocation(), "unexpected content after the closing ']'");
			}
			if (token != JsonToken.START_ARRAY) {
				throw malformed(this.parser.currentTokenLocation(),
						"the body must be a JSON array of customers, found " + describe(token));
			}
			this.arrayOpened = true;
			this.depth = 1;
		}

		private void startRecord(JsonToken token, List<ParsedRecord> records) {
			TokenStreamLocation start = this.parser.currentTokenLocation();
			if (this.ndjson && start.getLineNr() == this.lastRecordLine) {
				throw malformed(start, "a second record on one line; NDJSON needs one record per line");
			}
			if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
				this.inRecord = true;
				this.recordIsObject = token == JsonToken.START_OBJECT;
				this.oversized = false;
				this.depth++;
				// The bracket is the last byte read: the non-blocking parser's token
				// byte offset points one past it (its line and column are right).
				this.recordStart = offset(this.parser.currentLocation()) - 1;
				this.recordLine = start.getLineNr();
				this.recordColumn = start.getColumnNr();
				this.captureFrom = this.recordStart;
				this.capturedLength = 0;
				this.tokens = TokenBuffer.forBuffering(this.parser, ObjectReadContext.empty());
				this.tokens.copyCurrentEvent(this.parser);
				return;
			}
			// A scalar sits on one line; the tokenizer may already be past its end.
			this.lastRecordLine = start.getLineNr();
			records.add(ParsedRecord.rejected(this.nextIndex++, scalarJson(token), ParsedRecord.RECORD,
					"not a JSON object but " + describe(token)));
		}

		private void continueRecord(JsonToken token, byte[] chunk, long chunkStart, List<ParsedRecord> records) {
			if (this.tokens != null) {
				this.tokens.copyCurrentEvent(this.parser);
			}
			if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
				this.depth++;
				return;
			}
			if ((token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) || --this.depth > this.recordDepth) {
				return;
			}
			TokenStreamLocation end = this.parser.currentLocation();
			if (this.ndjson && end.getLineNr() != this.recordLine) {
				throw malformed(end, "record " + this.nextIndex + " spans lines " + this.recordLine + " to "
						+ end.getLineNr() + "; NDJSON needs one record per line");
			}
			this.inRecord = false;
			this.lastRecordLine = end.getLineNr();
			capture(chunk, chunkStart, offset(end));
			records.add(complete(this.nextIndex++));
		}

		private ParsedRecord complete(int index) {
			TokenBuffer recordTokens = this.tokens;
			this.tokens = null;
			if (this.oversized) {
				return ParsedRecord.rejected(index, null, ParsedRecord.RECORD,
						"larger than " + CustomerStreamParser.this.maxRecordBytes + " bytes");
			}
			String raw = new String(this.captured, 0, this.capturedLength, StandardCharsets.UTF_8);
			if (!this.recordIsObject) {
				return ParsedRecord.rejected(index, raw, ParsedRecord.RECORD, "not a JSON object but an array");
			}
			// Bound from the tokens read: the record's bytes are not tokenized twice.
			try (JsonParser replay = recordTokens.asParser(ObjectReadContext.empty())) {
				IpaasCustomer customer = CustomerStreamParser.this.reader.readValue(replay);
				return ParsedRecord.bound(index, raw, this.capturedLength, customer);
			}
			catch (JacksonException ex) {
				return ParsedRecord.unbindable(index, raw, ex);
			}
		}

		/**
		 * Copies the record's bytes of this chunk up to {@code end}, or gives up past the
		 * cap.
		 */
		private void capture(byte[] chunk, long chunkStart, long end) {
			if (this.oversized) {
				return;
			}
			if (end - this.recordStart > CustomerStreamParser.this.maxRecordBytes) {
				this.oversized = true;
				this.capturedLength = 0;
				this.tokens = null;
				return;
			}
			int length = (int) (end - this.captureFrom);
			if (this.capturedLength + length > this.captured.length) {
				byte[] larger = new byte[Math.min(CustomerStreamParser.this.maxRecordBytes,
						Math.max(this.captured.length * 2, this.capturedLength + length))];
				System.arraycopy(this.captured, 0, larger, 0, this.capturedLength);
				this.captured = larger;
			}
			System.arraycopy(chunk, (int) (this.captureFrom - chunkStart), this.captured, this.capturedLength, length);
			this.capturedLength += length;
			this.captureFrom = end;
		}

		private JsonToken nextToken() {
			try {
				return this.parser.nextToken();
			}
			catch (StreamConstraintsException ex) {
				throw malformed(location(ex), "a value exceeds the parser's limits (record cap "
						+ CustomerStreamParser.this.maxRecordBytes + " bytes): " + ex.getOriginalMessage());
			}
			catch (JacksonException ex) {
				throw malformed(location(ex), ex.getOriginalMessage());
			}
		}

		private TokenStreamLocation location(JacksonException ex) {
			return (ex.getLocation() != null) ? ex.getLocation() : this.parser.currentLocation();
		}

		private MalformedBodyException malformed(TokenStreamLocation location, String detail) {
			return malformed(location.getLineNr(), location.getColumnNr(), offset(location), detail);
		}

		private MalformedBodyException malformed(int line, int column, long byteOffset, String detail) {
			this.parser.close();
			String shortDetail = (detail.length() > MAX_DETAIL_LENGTH) ? detail.substring(0, MAX_DETAIL_LENGTH) + "…"
					: detail;
			return new MalformedBodyException(line, column, Math.max(0, byteOffset), shortDetail);
		}

		private String scalarJson(JsonToken token) {
			if (token == JsonToken.VALUE_STRING) {
				return '"' + new String(JsonStringEncoder.getInstance().quoteAsCharArray(this.parser.getString()))
						+ '"';
			}
			return this.parser.getString();
		}

	}

	/**
	 * {@code records}, then {@code error}: the records read before a syntax error still
	 * reach the subscriber, in order, before the error (the flattening operator turns an
	 * exception from {@code hasNext} into {@code onError}).
	 */
	private static Iterable<ParsedRecord> thenFail(List<ParsedRecord> records, MalformedBodyException error) {
		if (records.isEmpty()) {
			throw error;
		}
		return () -> new Iterator<>() {

			private int next;

			@Override
			public boolean hasNext() {
				if (this.next < records.size()) {
					return true;
				}
				throw error;
			}

			@Override
			public ParsedRecord next() {
				return records.get(this.next++);
			}

		};
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.name();
		};
	}

}

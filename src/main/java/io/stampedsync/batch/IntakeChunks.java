package io.stampedsync.batch;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import reactor.core.publisher.Flux;

/**
 * Cuts the records of a body into the chunks the journal writes in one statement and one
 * commit: each holds at most {@code maxRecords} records and at most {@code maxBytes}
 * bytes of payload. A record that would take its chunk over the byte bound starts the
 * next chunk instead, so a chunk of a few huge records stays under the bound; a record
 * larger than the bound on its own (possible only when the bound is set below the largest
 * accepted record) goes alone.
 */
final class IntakeChunks {

	private IntakeChunks() {
	}

	/**
	 * The chunks of {@code records}, in order, every record once; {@code bytes} gives a
	 * record's payload size in bytes.
	 */
	static <T> Flux<List<T>> of(Flux<T> records, int maxRecords, long maxBytes, ToIntFunction<T> bytes) {
		if (maxRecords < 1 || maxBytes < 1) {
			throw new IllegalArgumentException("A chunk holds at least one record and one byte");
		}
		return Flux.defer(() -> records.bufferUntil(new StartsNext<>(maxRecords, maxBytes, bytes), true));
	}

	/**
	 * Whether a record starts a new chunk (the one before it is then written). One per
	 * body: it counts.
	 */
	private static final class StartsNext<T> implements Predicate<T> {

		private final int maxRecords;

		private final long maxBytes;

		private final ToIntFunction<T> bytes;

		private int records;

		private long bytesSoFar;

		StartsNext(int maxRecords, long maxBytes, ToIntFunction<T> bytes) {
			this.maxRecords = maxRecords;
			this.maxBytes = maxBytes;
			this.bytes = bytes;
		}

		@Override
		public boolean test(T record) {
			int size = this.bytes.applyAsInt(record);
			boolean next = this.records > 0
					&& (this.records == this.maxRecords || this.bytesSoFar + size > this.maxBytes);
			if (next) {
				this.records = 0;
				this.bytesSoFar = 0;
			}
			this.records++;
			this.bytesSoFar += size;
			return next;
		}

	}

}

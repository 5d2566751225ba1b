package io.stampedsync.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.codec.ServerSentEvent;

/**
 * Consecutive events of one batch's SSE stream as one run of bytes, written to a watcher
 * in one write: the live events of a short interval are gathered, encoded once, and the
 * same bytes go to every watcher of the batch. Per event and watcher this leaves a share
 * of one write, one flush and one system call instead of one each (a fan-out to hundreds
 * of watchers paid them per event).
 *
 * <p>
 * The bytes are kept off the heap, in a buffer the socket can be written from as it is:
 * each watcher's write is a view of them, neither copied into a buffer of its own nor
 * into the one Netty writes from (a heap buffer is copied twice per watcher on its way
 * out). A chunk keeps only its bytes and the numbers of its events, not the events (a
 * record event holds its record, payload included), so what a replay tail keeps is what
 * it counts.
 *
 * <p>
 * A chunk never goes past a final status, so a stream that ends after its chunk ends
 * right after that status.
 */
final class SseChunk {

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private static final SseChunk HEARTBEAT = new SseChunk(null, new long[0], new int[0],
			direct(SseFrame.heartbeat().bytes()), false);

	private final String batchId;

	/** The number of each event, in order. */
	private final long[] seqs;

	/** Where each event's bytes end in {@code bytes}. */
	private final int[] ends;

	/** Shared by every write; unreleasable, so no watcher's write can free it. */
	private final ByteBuf bytes;

	private final boolean endsStream;

	private SseChunk(String batchId, long[] seqs, int[] ends, ByteBuf bytes, boolean endsStream) {
		this.batchId = batchId;
		this.seqs = seqs;
		this.ends = ends;
		this.bytes = bytes;
		this.endsStream = endsStream;
	}

	/** A heartbeat comment, as a chunk of its own. */
	static SseChunk heartbeat() {
		return HEARTBEAT;
	}

	/**
	 * The frames, in order, as chunks of their batches: one per batch, split after each
	 * final status.
	 */
	static List<SseChunk> of(List<SseFrame> frames) {
		List<SseChunk> chunks = new ArrayList<>();
		List<String> batches = new ArrayList<>();
		List<List<SseFrame>> runs = new ArrayList<>();
		for (SseFrame frame : frames) {
			String batchId = frame.event().batchId();
			int i = batches.indexOf(batchId);
			if (i < 0) {
				batches.add(batchId);
				runs.add(new ArrayList<>());
				i = batches.size() - 1;
			}
			List<SseFrame> run = runs.get(i);
			run.add(frame);
			if (frame.finalStatus()) {
				chunks.add(join(batchId, run));
				run.clear();
			}
		}
		for (int i = 0; i < batches.size(); i++) {
			if (!runs.get(i).isEmpty()) {
				chunks.add(join(batches.get(i), runs.get(i)));
			}
		}
		return chunks;
	}

	private static SseChunk join(String batchId, List<SseFrame> run) {
		long[] seqs = new long[run.size()];
		int[] ends = new int[run.size()];
		int length = 0;
		for (int i = 0; i < run.size(); i++) {
			seqs[i] = run.get(i).event().seq();
			length += run.get(i).bytes().length;
			ends[i] = length;
		}
		ByteBuffer bytes = ByteBuffer.allocateDirect(length);
		for (SseFrame frame : run) {
			bytes.put(frame.bytes());
		}
		return new SseChunk(batchId, seqs, ends, wrap(bytes.flip()), run.get(run.size() - 1).finalStatus());
	}

	private static ByteBuf direct(byte[] bytes) {
		return wrap(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip());
	}

	// The memory is the JDK buffer's, freed when it is no longer reachable: no count of
	// references to get wrong between the tail, the watchers' queues and their writes.
	private static ByteBuf wrap(ByteBuffer bytes) {
		return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
	}

	/** The batch whose events these are, {@code null} for a heartbeat. */
	String batchId() {
		return this.batchId;
	}

	/** Events in this chunk. */
	int size() {
		return this.seqs.length;
	}

	/** Bytes written to the wire. */
	int byteCount() {
		return this.bytes.readableBytes();
	}

	/** The number of the first event; only for a chunk with events. */
	long firstSeq() {
		return this.seqs[0];
	}

	/** The number of the last event; only for a chunk with events. */
	long lastSeq() {
		return this.seqs[this.seqs.length - 1];
	}

	/** The numbers of its events, in order. */
	long[] seqs() {
		return this.seqs.clone();
	}

	/** Whether the chunk ends with its batch's final status (and so ends the stream). */
	boolean endsStream() {
		return this.endsStream;
	}

	/**
	 * The part of this chunk after event {@code seq}: the chunk itself when all of it
	 * comes after, {@code null} when none does. A watcher replays the journal up to some
	 * event, then takes the live chunks from the next one on. The part is a view of the
	 * same bytes.
	 */
	SseChunk after(long seq) {
		int from = 0;
		while (from < this.seqs.length && this.seqs[from] <= seq) {
			from++;
		}
		if (from == 0) {
			return this;
		}
		if (from == this.seqs.length) {
			return null;
		}
		int start = this.ends[from - 1];
		int[] ends = new int[this.ends.length - from];
		for (int i = 0; i < ends.length; i++) {
			ends[i] = this.ends[from + i] - start;
		}
		long[] seqs = Arrays.copyOfRange(this.seqs, from, this.seqs.length);
		ByteBuf rest = this.bytes.slice(start, this.bytes.readableBytes() - start);
		return new SseChunk(this.batchId, seqs, ends, rest, this.endsStream);
	}

	/** A view of the shared bytes, for one watcher's response. */
	DataBuffer buffer() {
		return BUFFERS.wrap(this.bytes.duplicate());
	}

	/**
	 * The chunk as events for Spring's SSE writer, read back from its bytes: for the
	 * stream of one client only (the answer to a streamed POST), which encodes them
	 * again.
	 */
	List<ServerSentEvent<String>> toServerSentEvents() {
		List<ServerSentEvent<String>> events = new ArrayList<>();
		for (String block : new String(bytes(), StandardCharsets.UTF_8).split("\n\n")) {
			ServerSentEvent.Builder<String> event = ServerSentEvent.builder();
			StringBuilder data = null;
			for (String line : block.split("\n")) {
				if (line.startsWith("id:")) {
					event.id(line.substring(3));
				}
				else if (line.startsWith("event:")) {
					event.event(line.substring(6));
				}
				else if (line.startsWith("data:")) {
					data = (data == null) ? new StringBuilder() : data.append('\n');
					data.append(line, 5, line.length());
				}
				else if (line.startsWith(":")) {
					event.comment(line.substring(1));
				}
			}
			events.add((data != null) ? event.data(data.toString()).build() : event.build());
		}
		return events;
	}

	/** A copy of the bytes written to the wire. */
	byte[] bytes() {
		byte[] copy = new byte[this.bytes.readableBytes()];
		this.bytes.getBytes(this.bytes.readerIndex(), copy);
		return copy;
	}

}

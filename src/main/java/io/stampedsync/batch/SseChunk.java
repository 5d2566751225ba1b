package io.stampedsync.batch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Consecutive events of one batch's SSE stream as one run of bytes, written to a watcher
 * in one write: the live events of a short interval are gathered, encoded once, and the
 * same bytes go to every watcher of the batch. Per event and watcher this leaves a share
 * of one write, one flush and one system call instead of one each (a fan-out to hundreds
 * of watchers paid them per event).
 *
 * <p>
 * A chunk never goes past a final status, so a stream that ends after its chunk ends
 * right after that status.
 */
final class SseChunk {

	private static final SseChunk HEARTBEAT = new SseChunk(null, List.of(SseFrame.heartbeat()),
			SseFrame.heartbeat().bytes(), new int[] { SseFrame.heartbeat().bytes().length });

	private final String batchId;

	private final List<SseFrame> frames;

	private final byte[] bytes;

	/** Where each frame's bytes end in {@code bytes}. */
	private final int[] ends;

	private SseChunk(String batchId, List<SseFrame> frames, byte[] bytes, int[] ends) {
		this.batchId = batchId;
		this.frames = frames;
		this.bytes = bytes;
		this.ends = ends;
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
		ByteArrayOutputStream out = new ByteArrayOutputStream(run.size() * 256);
		int[] ends = new int[run.size()];
		for (int i = 0; i < run.size(); i++) {
			out.writeBytes(run.get(i).bytes());
			ends[i] = out.size();
		}
		return new SseChunk(batchId, List.copyOf(run), out.toByteArray(), ends);
	}

	/** The batch whose events these are, {@code null} for a heartbeat. */
	String batchId() {
		return this.batchId;
	}

	/** The frames, in order. */
	List<SseFrame> frames() {
		return this.frames;
	}

	/** Events in this chunk. */
	int size() {
		return this.frames.size();
	}

	/** Whether the chunk ends with its batch's final status (and so ends the stream). */
	boolean endsStream() {
		return this.frames.get(this.frames.size() - 1).finalStatus();
	}

	/**
	 * The part of this chunk after event {@code seq}: the chunk itself when all of it
	 * comes after, {@code null} when none does. A watcher replays the journal up to some
	 * event, then takes the live chunks from the next one on.
	 */
	SseChunk after(long seq) {
		int from = 0;
		while (from < this.frames.size() && this.frames.get(from).event() != null
				&& this.frames.get(from).event().seq() <= seq) {
			from++;
		}
		if (from == 0) {
			return this;
		}
		if (from == this.frames.size()) {
			return null;
		}
		int start = this.ends[from - 1];
		byte[] rest = new byte[this.bytes.length - start];
		System.arraycopy(this.bytes, start, rest, 0, rest.length);
		int[] ends = new int[this.ends.length - from];
		for (int i = 0; i < ends.length; i++) {
			ends[i] = this.ends[from + i] - start;
		}
		return new SseChunk(this.batchId, this.frames.subList(from, this.frames.size()), rest, ends);
	}

	/** A buffer over the shared bytes, for one watcher's response. */
	DataBuffer buffer() {
		return DefaultDataBufferFactory.sharedInstance.wrap(ByteBuffer.wrap(this.bytes));
	}

	/** The bytes written to the wire (shared: not to be changed). */
	byte[] bytes() {
		return this.bytes;
	}

}

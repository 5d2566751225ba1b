package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class SseChunkTests {

	@Test
	void gatheredFramesBecomeOneChunkPerBatchInTheirOrder() {
		List<SseChunk> chunks = SseChunk.of(List.of(frame("a", 1), frame("b", 1), frame("a", 2), frame("b", 2)));

		assertThat(chunks).extracting(SseChunk::batchId).containsExactly("a", "b");
		assertThat(text(chunks.get(0).bytes()))
			.isEqualTo("id:1\nevent:record\ndata:{}\n\nid:2\nevent:record\ndata:{}\n\n");
		assertThat(chunks.get(1).size()).isEqualTo(2);
	}

	@Test
	void aChunkEndsWithAFinalStatusAndWhatFollowsStartsAnother() {
		List<SseChunk> chunks = SseChunk.of(List.of(frame("a", 1), finalStatus("a", 2), frame("a", 3)));

		assertThat(chunks).hasSize(2);
		assertThat(chunks.get(0).endsStream()).isTrue();
		assertThat(chunks.get(0).size()).isEqualTo(2);
		assertThat(chunks.get(1).endsStream()).isFalse();
	}

	@Test
	void theEventsAfterASeqAreTheTailOfTheChunk() {
		SseChunk chunk = SseChunk.of(List.of(frame("a", 4), frame("a", 5), frame("a", 6))).get(0);

		assertThat(chunk.after(3)).isSameAs(chunk);
		assertThat(chunk.after(6)).isNull();
		SseChunk tail = chunk.after(4);
		assertThat(tail.seqs()).containsExactly(5L, 6L);
		assertThat(text(tail.bytes())).isEqualTo("id:5\nevent:record\ndata:{}\n\nid:6\nevent:record\ndata:{}\n\n");
		assertThat(text(tail.after(5).bytes())).isEqualTo("id:6\nevent:record\ndata:{}\n\n");
	}

	@Test
	void watchersWriteViewsOfTheSameBytesOffTheHeap() {
		SseChunk chunk = SseChunk.of(List.of(frame("a", 1), frame("a", 2))).get(0);

		ByteBuf one = ((NettyDataBuffer) chunk.buffer()).getNativeBuffer();
		ByteBuf other = ((NettyDataBuffer) chunk.buffer()).getNativeBuffer();
		ByteBuf part = ((NettyDataBuffer) chunk.after(1).buffer()).getNativeBuffer();
		// Direct (a socket writes it without a copy), one memory for every watcher.
		assertThat(one.isDirect()).isTrue();
		assertThat(one.memoryAddress()).isEqualTo(other.memoryAddress());
		assertThat(part.memoryAddress()).isEqualTo(one.memoryAddress() + "id:1\nevent:record\ndata:{}\n\n".length());
		// A write releases its buffer when done: the others' bytes stay.
		one.readerIndex(one.writerIndex());
		assertThat(one.release()).isFalse();
		assertThat(text(chunk.bytes())).isEqualTo("id:1\nevent:record\ndata:{}\n\nid:2\nevent:record\ndata:{}\n\n");
		assertThat(text(SseChunk.heartbeat().bytes())).isEqualTo(":heartbeat\n\n");
	}

	@Test
	void aChunkReadsBackAsTheEventsItWasMadeOf() {
		SseChunk chunk = SseChunk.of(List.of(frame("a", 1), finalStatus("a", 2))).get(0);

		assertThat(chunk.toServerSentEvents())
			.extracting(ServerSentEvent::id, ServerSentEvent::event, ServerSentEvent::data)
			.containsExactly(tuple("1", "record", "{}"), tuple("2", "status", "{}"));
		assertThat(SseChunk.heartbeat().toServerSentEvents()).extracting(ServerSentEvent::comment)
			.containsExactly("heartbeat");
	}

	private static SseFrame frame(String batchId, long seq) {
		BatchEvent event = new BatchEvent(batchId, "s", seq, BatchEvent.RECORD, "{}", Instant.EPOCH);
		return new SseFrame(event, SseFrame.encode(Long.toString(seq), event.type(), event.data()), false);
	}

	private static SseFrame finalStatus(String batchId, long seq) {
		BatchEvent event = new BatchEvent(batchId, "s", seq, BatchEvent.STATUS, "{}", Instant.EPOCH);
		return new SseFrame(event, SseFrame.encode(Long.toString(seq), event.type(), event.data()), true);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}

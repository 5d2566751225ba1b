package io.stampedsync.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load client's SSE parser: the format as the gateway and any server may write it.
 */
class SseScannerTests {

	private static final String RECORD = "id:7\nevent:record\ndata:{\"batchId\":\"b\",\"seq\":7,\"index\":19,\"outcome\":\"created\"}\n\n";

	private final List<String> events = new ArrayList<>();

	private final SseScanner scanner = new SseScanner((kind, index) -> this.events.add(kind + "/" + index));

	@Test
	void readsEachRecordEventsIndexAndTellsAFinalStatus() {
		read(":heartbeat\n\n" + RECORD + "id:8\nevent:progress\ndata:{\"total\":2,\"index\":3}\n\n"
				+ "id:9\nevent:status\ndata:{\"batchId\":\"b\",\"status\":\"running\"}\n\n"
				+ "id:10\nevent:status\ndata:{\"batchId\":\"b\",\"status\":\"completed_with_errors\",\"reason\":null}\n\n");
		assertThat(this.events).containsExactly("1/19", "0/-1", "0/-1", "2/-1");
	}

	@Test
	void aStreamCutAtEveryByteGivesTheSameEvents() {
		String stream = RECORD + "event:status\ndata:{\"status\":\"cancelled\"}\n\n" + RECORD;
		byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
		for (byte b : bytes) {
			this.scanner.read(Unpooled.wrappedBuffer(new byte[] { b }));
		}
		assertThat(this.events).containsExactly("1/19", "2/-1", "1/19");
	}

	@Test
	void linesEndWithCrLfOrCrAndAValueMayStartWithOneSpace() {
		read("event: record\r\ndata: {\"index\":42}\r\n\r\n" + "event:record\rdata:{\"index\":43}\r\r");
		assertThat(this.events).containsExactly("1/42", "1/43");
	}

	@Test
	void aCrAtTheEndOfOneReadAndItsLfInTheNextEndOneLine() {
		read("event:record\r");
		read("\ndata:{\"index\":5}\r");
		read("\n\r");
		read("\n");
		assertThat(this.events).containsExactly("1/5");
	}

	@Test
	void dataLinesAreJoinedAndAnEventWithoutDataIsNotDispatched() {
		read("event:record\n\n" + "event:record\ndata:{\"a\":1,\ndata:\"index\":12}\n\n");
		assertThat(this.events).containsExactly("1/12");
	}

	@Test
	void theTypeIsTheWholeValueAndIsForgottenAfterEachEvent() {
		read("event:records\ndata:{\"index\":1}\n\n" + "data:{\"index\":2}\n\n" + "event:record\ndata:{}\n\n");
		assertThat(this.events).containsExactly("0/-1", "0/-1", "1/-1");
	}

	@Test
	void aLineLongerThanItsFirstBufferIsReadWhole() {
		String padding = "x".repeat(5_000);
		read("event:record\ndata:{\"pad\":\"" + padding + "\",");
		read("\"index\":77}\n\n");
		assertThat(this.events).containsExactly("1/77");
	}

	private void read(String text) {
		this.scanner.read(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
	}

}

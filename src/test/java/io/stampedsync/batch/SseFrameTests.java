package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SseFrameTests {

	@Test
	void anEventIsItsIdTypeAndDataThenABlankLine() {
		assertThat(text(SseFrame.encode("7", "record", "{\"index\":3}")))
			.isEqualTo("id:7\nevent:record\ndata:{\"index\":3}\n\n");
	}

	@Test
	void anEventWithoutIdHasNoIdField() {
		assertThat(text(SseFrame.encode(null, "status", "{}"))).isEqualTo("event:status\ndata:{}\n\n");
	}

	@Test
	void everyLineBreakOfTheDataStartsADataFieldOfItsOwn() {
		assertThat(text(SseFrame.encode("1", "error", "a\nb\r\nc\rd")))
			.isEqualTo("id:1\nevent:error\ndata:a\ndata:b\ndata:c\ndata:d\n\n");
	}

	@Test
	void aHeartbeatIsACommentLine() {
		assertThat(text(SseFrame.heartbeat().bytes())).isEqualTo(":heartbeat\n\n");
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}

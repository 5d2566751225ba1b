package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import io.stampedsync.batch.CustomerStreamParser.Format;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunks intake writes: bounded by records and by payload bytes, every record once,
 * in order.
 */
class IntakeChunksTests {

	private static final int MIB = 1024 * 1024;

	@Test
	void aChunkOfAFewHugeRecordsStaysUnderTheByteBound() {
		// Six records of about 300 KB of UTF-8 each, two thirds of it in two-byte
		// characters: by characters five would fit in 1 MiB, by bytes three.
		String body = IntStream.range(0, 6).mapToObj(IntakeChunksTests::huge).reduce("", String::concat);
		CustomerStreamParser parser = new CustomerStreamParser(JsonMapper.builder().build(), MIB);

		List<List<ParsedRecord>> chunks = IntakeChunks
			.of(parser.parse(CustomerStreamBodies.whole(body), Format.NDJSON), 1000, MIB, ParsedRecord::rawBytes)
			.collectList()
			.block();

		assertThat(chunks).hasSizeGreaterThan(1);
		for (List<ParsedRecord> chunk : chunks) {
			int bytes = chunk.stream().mapToInt((record) -> utf8Length(record.rawJson())).sum();
			assertThat(bytes).isLessThanOrEqualTo(MIB);
		}
		assertThat(chunks.stream().flatMap(List::stream))
			.allSatisfy((record) -> assertThat(record.rawBytes()).isEqualTo(utf8Length(record.rawJson())))
			.extracting(ParsedRecord::index)
			.containsExactly(0, 1, 2, 3, 4, 5);
	}

	@Test
	void aChunkHoldsAtMostItsRecords() {
		List<List<Integer>> chunks = IntakeChunks.of(Flux.range(0, 2500), 1000, MIB, (record) -> 10)
			.collectList()
			.block();

		assertThat(chunks).extracting(List::size).containsExactly(1000, 1000, 500);
		assertThat(chunks.stream().flatMap(List::stream))
			.containsExactlyElementsOf(IntStream.range(0, 2500).boxed().toList());
	}

	@Test
	void aRecordOverTheBoundByItselfGoesAlone() {
		List<List<Integer>> chunks = IntakeChunks.of(Flux.just(10, 600, 5000, 10, 990, 1), 1000, 1000, (size) -> size)
			.collectList()
			.block();

		assertThat(chunks).containsExactly(List.of(10, 600), List.of(5000), List.of(10, 990), List.of(1));
	}

	@Test
	void anEmptyBodyHasNoChunk() {
		assertThat(IntakeChunks.of(Flux.<Integer>empty(), 1000, MIB, (size) -> size).collectList().block()).isEmpty();
	}

	/**
	 * One NDJSON line of about 300,000 bytes: 100,000 ASCII and 100,000 two-byte
	 * characters.
	 */
	private static String huge(int i) {
		return "{\"id\":\"huge-" + i + "\",\"email_address\":\"huge-" + i + "@example.com\",\"first_name\":\""
				+ "a".repeat(100_000) + "é".repeat(100_000) + "\"}\n";
	}

	private static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

}

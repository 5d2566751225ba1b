package io.stampedsync.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.stampedsync.batch.CustomerStreamParser.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CustomerStreamParserTests {

	private final CustomerStreamParser parser = new CustomerStreamParser(JsonMapper.builder().build(),
			CustomerStreamParser.DEFAULT_MAX_RECORD_BYTES);

	@Test
	void readsAJsonArraySplitAcrossTinyBuffers() {
		String one = CustomerStreamBodies.customer(1);
		String two = "{ \"id\" : 2, \"email_address\" : \"b@example.com\" }";
		String body = " [\n  " + one + " ,\n\t" + two + "\n] \n";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			List<ParsedRecord> records = parse(cut.apply(body), Format.JSON_ARRAY);
			assertThat(records).extracting(ParsedRecord::index, ParsedRecord::rawJson)
				.containsExactly(tuple(0, one), tuple(1, two));
			assertThat(records).extracting((record) -> record.customer().id()).containsExactly("1", "2");
			assertThat(records.get(0).customer().customFields()).singleElement()
				.satisfies((field) -> assertThat(field.value()).isEqualTo("yes"));
			assertThat(records).noneMatch(ParsedRecord::isRejected);
		}
	}

	@Test
	void readsNdjsonSkippingBlankLines() {
		String body = "\n" + CustomerStreamBodies.customer(1) + "\n\n   \n" + CustomerStreamBodies.customer(2)
				+ "\r\n\t\r\n" + CustomerStreamBodies.customer(3);
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			List<ParsedRecord> records = parse(cut.apply(body), Format.NDJSON);
			assertThat(records).extracting(ParsedRecord::index, ParsedRecord::rawJson)
				.containsExactly(tuple(0, CustomerStreamBodies.customer(1)), tuple(1, CustomerStreamBodies.customer(2)),
						tuple(2, CustomerStreamBodies.customer(3)));
			assertThat(records).extracting((record) -> record.customer().id()).containsExactly("1", "2", "3");
		}
	}

	@Test
	void keepsUnicodeIntactAcrossBufferBoundaries() {
		String record = "{\"id\":\"u\",\"first_name\":\"Zoë 😀 山田\",\"last_name\":\"\\u00e9t\\u00e9\",\"email_address\":\"z@example.com\"}";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			ParsedRecord parsed = parse(cut.apply("[" + record + "]"), Format.JSON_ARRAY).get(0);
			assertThat(parsed.rawJson()).isEqualTo(record);
			assertThat(parsed.customer().firstName()).isEqualTo("Zoë 😀 山田");
			assertThat(parsed.customer().lastName()).isEqualTo("été");
		}
	}

	@Test
	void skipsAByteOrderMark() {
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			assertThat(parse(cut.apply("\uFEFF" + CustomerStreamBodies.customer(1) + "\n"), Format.NDJSON))
				.extracting(ParsedRecord::rawJson)
				.containsExactly(CustomerStreamBodies.customer(1));
			assertThat(parse(cut.apply("\uFEFF[" + CustomerStreamBodies.customer(1) + "]"), Format.JSON_ARRAY))
				.extracting(ParsedRecord::rawJson)
				.containsExactly(CustomerStreamBodies.customer(1));
		}
	}

	@Test
	void givesAnEmptyStreamForAnEmptyArray() {
		StepVerifier.create(this.parser.parse(CustomerStreamBodies.tiny(" [ \n ] "), Format.JSON_ARRAY))
			.verifyComplete();
		StepVerifier.create(this.parser.parse(CustomerStreamBodies.whole("[]"), Format.JSON_ARRAY)).verifyComplete();
	}

	@Test
	void givesAnEmptyStreamForAnEmptyNdjsonBody() {
		StepVerifier.create(this.parser.parse(Flux.empty(), Format.NDJSON)).verifyComplete();
		StepVerifier.create(this.parser.parse(CustomerStreamBodies.whole("\n \n"), Format.NDJSON)).verifyComplete();
	}

	@Test
	void rejectsRecordsOfTheWrongTypeAndGoesOn() {
		String body = "[{\"id\": {\"x\": 1}, \"email_address\": \"a@example.com\"},"
				+ " {\"id\": \"2\", \"addresses\": [{\"city\": \"Paris\"}, {\"city\": [1]}]},"
				+ " {\"id\": \"3\", \"custom_fields\": \"yes\"}, {\"id\": \"4\", \"external_ids\": [{\"system_id\": \"abc\"}]},"
				+ " {\"id\": \"5\"}]";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			assertThat(parse(cut.apply(body), Format.JSON_ARRAY))
				.extracting(ParsedRecord::index, ParsedRecord::rejectionField, ParsedRecord::rejectionReason)
				.containsExactly(tuple(0, "id", "wrong type: expected a string"),
						tuple(1, "addresses[1].city", "wrong type: expected a string"),
						tuple(2, "custom_fields", "wrong type: expected an array"),
						tuple(3, "external_ids[0].system_id", "wrong type: expected a number"), tuple(4, null, null));
		}
	}

	@Test
	void rejectsElementsThatAreNotObjectsAndGoesOn() {
		String body = "[1, \"a\\\"b\", null, true, -2.5e3, [1, [2]], {\"id\": \"7\"}]";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			assertThat(parse(cut.apply(body), Format.JSON_ARRAY))
				.extracting(ParsedRecord::index, ParsedRecord::rawJson, ParsedRecord::rejectionField,
						ParsedRecord::rejectionReason)
				.containsExactly(tuple(0, "1", "record", "not a JSON object but a number"),
						tuple(1, "\"a\\\"b\"", "record", "not a JSON object but a string"),
						tuple(2, "null", "record", "not a JSON object but null"),
						tuple(3, "true", "record", "not a JSON object but a boolean"),
						tuple(4, "-2.5e3", "record", "not a JSON object but a number"),
						tuple(5, "[1, [2]]", "record", "not a JSON object but an array"),
						tuple(6, "{\"id\": \"7\"}", null, null));
		}
	}

	@Test
	void rejectsNdjsonLinesThatAreNotObjects() {
		String body = "42\n\"x\"\n[1]\nnull\n{\"id\": \"5\"}\nfalse";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			assertThat(parse(cut.apply(body), Format.NDJSON))
				.extracting(ParsedRecord::index, ParsedRecord::rawJson, (record) -> record.customer() != null)
				.containsExactly(tuple(0, "42", false), tuple(1, "\"x\"", false), tuple(2, "[1]", false),
						tuple(3, "null", false), tuple(4, "{\"id\": \"5\"}", true), tuple(5, "false", false));
		}
	}

	@Test
	void rejectsAnOversizedRecordAndReadsTheNextOnes() {
		CustomerStreamParser small = new CustomerStreamParser(JsonMapper.builder().build(), 100);
		String fits = "{\"id\":\"1\",\"comment\":\"" + "x".repeat(100 - 23) + "\"}";
		String tooBig = "{\"id\":\"2\",\"a\":\"" + "y".repeat(60) + "\",\"b\":[{\"c\":\"" + "z".repeat(60) + "\"}]}";
		assertThat(fits).hasSize(100);
		String array = "[" + fits + "," + tooBig + "," + tooBig + ",{\"id\":\"4\"}]";
		String ndjson = fits + "\n" + tooBig + "\n" + tooBig + "\n{\"id\":\"4\"}\n";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			for (List<ParsedRecord> records : List.of(
					small.parse(cut.apply(array), Format.JSON_ARRAY).collectList().block(),
					small.parse(cut.apply(ndjson), Format.NDJSON).collectList().block())) {
				assertThat(records)
					.extracting(ParsedRecord::index, ParsedRecord::rawJson, ParsedRecord::rejectionField,
							ParsedRecord::rejectionReason)
					.containsExactly(tuple(0, fits, null, null), tuple(1, null, "record", "larger than 100 bytes"),
							tuple(2, null, "record", "larger than 100 bytes"), tuple(3, "{\"id\":\"4\"}", null, null));
			}
		}
	}

	@Test
	void refusesTheBodyWhenOneStringIsFarLongerThanTheRecordCap() {
		CustomerStreamParser small = new CustomerStreamParser(JsonMapper.builder().build(), 100);
		String body = "[{\"id\":\"1\"},{\"comment\":\"" + "x".repeat(1_000_000) + "\"}]";
		StepVerifier.create(small.parse(CustomerStreamBodies.tiny(body), Format.JSON_ARRAY))
			.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedBodyException.class)
				.hasMessageContaining("line 1")
				.hasMessageContaining("record cap 100 bytes"))
			.verify();
	}

	@Test
	void refusesOverlongAndOutOfRangeUtf8EvenSplitAcrossBuffers() {
		byte[] head = "[{\"id\": \"1\", \"email_address\": \"a@example.com\", \"first_name\": \"a"
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = "\"}]".getBytes(StandardCharsets.UTF_8);
		List<byte[]> invalid = List.of(new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xC1, (byte) 0xBF },
				new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF },
				new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				new byte[] { (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80 });
		for (byte[] bad : invalid) {
			byte[] body = ByteBuffer.allocate(head.length + bad.length + tail.length)
				.put(head)
				.put(bad)
				.put(tail)
				.array();
			int split = head.length + 1;
			for (Flux<DataBuffer> chunks : List.of(Flux.just(buffer(body, 0, body.length)),
					Flux.just(buffer(body, 0, split), buffer(body, split, body.length)))) {
				StepVerifier.create(this.parser.parse(chunks, Format.JSON_ARRAY)).expectErrorSatisfies((error) -> {
					assertThat(error).isInstanceOf(MalformedBodyException.class)
						.hasMessageContaining("not valid UTF-8");
					assertThat(((MalformedBodyException) error).byteOffset()).isBetween((long) head.length,
							head.length + 1L);
				}).verify();
			}
		}
		byte[] valid = ByteBuffer.allocate(head.length + 2 + tail.length)
			.put(head)
			.put(new byte[] { (byte) 0xC3, (byte) 0xA9 })
			.put(tail)
			.array();
		assertThat(
				this.parser.parse(Flux.just(buffer(valid, 0, valid.length)), Format.JSON_ARRAY).collectList().block())
			.singleElement()
			.satisfies((record) -> assertThat(record.customer().firstName()).isEqualTo("aé"));
	}

	private static DataBuffer buffer(byte[] bytes, int from, int to) {
		return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(bytes, from, to));
	}

	@Test
	void locatesASyntaxErrorInAnArray() {
		String body = "[\n  {\"id\": \"1\"},\n  {\"id\" \"2\"}\n]";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			MalformedBodyException error = error(cut.apply(body), Format.JSON_ARRAY, 1);
			assertThat(error.line()).isEqualTo(3);
			assertThat(error.column()).isEqualTo(9);
			assertThat(error.byteOffset()).isEqualTo(body.indexOf("\"2\""));
			assertThat(error.detail()).contains("expecting a colon");
			assertThat(error).hasMessageStartingWith("Malformed body at line 3, column 9 (byte 25): ");
		}
	}

	@Test
	void locatesASyntaxErrorInNdjson() {
		String body = "{\"id\": \"1\"}\n\n{\"id\": \"2\",}\n{\"id\": \"3\"}\n";
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			MalformedBodyException error = error(cut.apply(body), Format.NDJSON, 1);
			assertThat(error.line()).isEqualTo(3);
			assertThat(error.column()).isEqualTo(12);
			assertThat(error.byteOffset()).isEqualTo(body.indexOf(",}") + 1);
		}
	}

	@Test
	void refusesATrailingCommaInAnObjectWhereverTheBuffersSplit() {
		String body = "[{\"id\": \"1\"},\n {\"id\": \"2\", }]";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < bytes.length; cut++) {
			Flux<DataBuffer> split = Flux
				.just(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length))
				.map(DefaultDataBufferFactory.sharedInstance::wrap);
			MalformedBodyException error = error(split, Format.JSON_ARRAY, 1);
			assertThat(error.line()).isEqualTo(2);
			assertThat(error.column()).isEqualTo(14);
			assertThat(error.byteOffset()).isEqualTo(body.lastIndexOf('}'));
		}
	}

	@Test
	void rejectsValuesOutOfRangeOrOfTheWrongSpelling() {
		String body = "{\"external_ids\": [{\"system_id\": 99999999999999999999}]}\n"
				+ "{\"addresses\": [{\"is_primary_billing\": \"maybe\"}]}\n";
		assertThat(parse(CustomerStreamBodies.tiny(body), Format.NDJSON))
			.extracting(ParsedRecord::rejectionField, ParsedRecord::rejectionReason)
			.containsExactly(tuple("external_ids[0].system_id", "number out of range"),
					tuple("addresses[0].is_primary_billing", "wrong type: expected true or false"));
	}

	@Test
	void refusesAnArrayThatIsNotClosed() {
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			MalformedBodyException error = error(cut.apply("[{\"id\": \"1\"},\n {\"id\": \"2\"}"), Format.JSON_ARRAY,
					2);
			assertThat(error.line()).isEqualTo(2);
			assertThat(error.detail()).contains("end-of-input");
		}
	}

	@Test
	void refusesABodyCutInsideARecord() {
		for (Function<String, Flux<DataBuffer>> cut : cuts()) {
			assertThat(error(cut.apply("{\"id\": \"1\"}\n{\"id\": \"2"), Format.NDJSON, 1).line()).isEqualTo(2);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"id\": \"1\"}", "\"customers\"", "42", "null" })
	void refusesAJsonBodyThatIsNotAnArray(String body) {
		MalformedBodyException error = error(CustomerStreamBodies.tiny(body), Format.JSON_ARRAY, 0);
		assertThat(error.line()).isEqualTo(1);
		assertThat(error.column()).isEqualTo(1);
		assertThat(error.detail()).startsWith("the body must be a JSON array of customers, found ");
	}

	@Test
	void refusesAnEmptyJsonBody() {
		assertThat(error(Flux.empty(), Format.JSON_ARRAY, 0).detail()).contains("empty");
		assertThat(error(CustomerStreamBodies.whole(" \n "), Format.JSON_ARRAY, 0).detail()).contains("empty");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[] []", "[{\"id\": \"1\"}] {}", "[] x", "[]]" })
	void refusesContentAfterTheArray(String body) {
		assertThat(error(CustomerStreamBodies.tiny(body), Format.JSON_ARRAY, body.startsWith("[{") ? 1 : 0).line())
			.isEqualTo(1);
	}

	@Test
	void refusesTwoNdjsonRecordsOnOneLine() {
		MalformedBodyException error = error(
				CustomerStreamBodies.tiny("{\"id\": \"1\"}\n{\"id\": \"2\"} {\"id\": \"3\"}\n"), Format.NDJSON, 2);
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.detail()).contains("one record per line");
	}

	@Test
	void refusesAnNdjsonRecordSpanningLines() {
		MalformedBodyException error = error(CustomerStreamBodies.tiny("{\"id\": \"1\"}\n{\"id\":\n \"2\"}\n"),
				Format.NDJSON, 1);
		assertThat(error.detail()).contains("spans lines 2 to 3");
	}

	@Test
	void neverEchoesMuchOfTheBodyInAnError() {
		String body = "[" + "t".repeat(10_000) + "]";
		MalformedBodyException error = error(CustomerStreamBodies.whole(body), Format.JSON_ARRAY, 0);
		assertThat(error.getMessage()).hasSizeLessThan(300);
	}

	@Test
	void choosesTheFormatFromTheContentType() {
		assertThat(Format.forContentType(MediaType.APPLICATION_JSON)).contains(Format.JSON_ARRAY);
		assertThat(Format.forContentType(MediaType.parseMediaType("application/json;charset=UTF-8")))
			.contains(Format.JSON_ARRAY);
		assertThat(Format.forContentType(MediaType.APPLICATION_NDJSON)).contains(Format.NDJSON);
		assertThat(Format.forContentType(MediaType.TEXT_PLAIN)).isEmpty();
		assertThat(Format.forContentType(null)).isEmpty();
	}

	private List<ParsedRecord> parse(Flux<DataBuffer> body, Format format) {
		return this.parser.parse(body, format).collectList().block();
	}

	private MalformedBodyException error(Flux<DataBuffer> body, Format format, int recordsBefore) {
		MalformedBodyException[] caught = new MalformedBodyException[1];
		StepVerifier.create(this.parser.parse(body, format))
			.expectNextCount(recordsBefore)
			.expectErrorSatisfies((error) -> caught[0] = (MalformedBodyException) error)
			.verify();
		return caught[0];
	}

	private static List<Function<String, Flux<DataBuffer>>> cuts() {
		return List.of(CustomerStreamBodies::whole, CustomerStreamBodies::tiny, CustomerStreamBodies::bytewise);
	}

}

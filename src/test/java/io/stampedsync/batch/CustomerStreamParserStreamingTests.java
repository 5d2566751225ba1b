package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.stampedsync.batch.CustomerStreamParser.Format;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerStreamParserStreamingTests {

	// Many buffers and records, in order. That the parser reads no further than the
	// demand is proven by the demand tests below, whatever the size; 200,000 records
	// only made this class the slowest unit test of the build.
	private static final int LARGE = 20_000;

	private final CustomerStreamParser parser = new CustomerStreamParser(JsonMapper.builder().build(),
			CustomerStreamParser.DEFAULT_MAX_RECORD_BYTES);

	@Test
	void streamsALargeNdjsonBodyRecordByRecord() {
		AtomicLong lastIndex = new AtomicLong(-1);
		StepVerifier
			.create(this.parser.parse(generated(LARGE, Format.NDJSON), Format.NDJSON)
				.doOnNext((record) -> assertThat(record.index()).isEqualTo(lastIndex.incrementAndGet()))
				.filter((record) -> !record.isRejected())
				.count())
			.expectNext((long) LARGE)
			.verifyComplete();
		assertThat(lastIndex).hasValue(LARGE - 1);
	}

	@Test
	void streamsALargeJsonArrayRecordByRecord() {
		StepVerifier
			.create(this.parser.parse(generated(LARGE, Format.JSON_ARRAY), Format.JSON_ARRAY)
				.filter((record) -> !record.isRejected())
				.count())
			.expectNext((long) LARGE)
			.verifyComplete();
	}

	@Test
	void readsNoMoreBuffersThanTheDemandNeeds() {
		AtomicInteger emitted = new AtomicInteger();
		Flux<DataBuffer> body = Flux.range(0, 100)
			.<DataBuffer>map(
					(i) -> DefaultDataBufferFactory.sharedInstance.wrap(bytes(CustomerStreamBodies.customer(i) + "\n")))
			.doOnNext((buffer) -> emitted.incrementAndGet())
			.hide();
		StepVerifier.create(this.parser.parse(body, Format.NDJSON), 0)
			.expectSubscription()
			.then(() -> assertThat(emitted.get()).isLessThanOrEqualTo(1))
			.thenRequest(1)
			.expectNextCount(1)
			.then(() -> assertThat(emitted.get()).isLessThanOrEqualTo(2))
			.thenRequest(3)
			.expectNextCount(3)
			.then(() -> assertThat(emitted.get()).isLessThanOrEqualTo(5))
			.thenCancel()
			.verify();
	}

	@Test
	void readsAheadAtMostOneRecordBeyondTheDemand() {
		String first = CustomerStreamBodies.customer(1);
		String second = CustomerStreamBodies.customer(2);
		AtomicInteger emitted = new AtomicInteger();
		Flux<DataBuffer> body = CustomerStreamBodies
			.bytewise(first + "\n" + second + "\n" + CustomerStreamBodies.customer(3))
			.doOnNext((buffer) -> emitted.incrementAndGet())
			.hide();
		StepVerifier.create(this.parser.parse(body, Format.NDJSON), 0)
			.thenRequest(1)
			.expectNextCount(1)
			.then(() -> assertThat(emitted.get()).isBetween(first.length(), first.length() + 1 + second.length() + 1))
			.thenCancel()
			.verify();
	}

	@Test
	void releasesEveryBufferWhenTheBodyIsRead() {
		List<DataBuffer> buffers = new CopyOnWriteArrayList<>();
		StepVerifier.create(this.parser.parse(tracked(buffers, 50, "[", "]"), Format.JSON_ARRAY))
			.expectNextCount(50)
			.verifyComplete();
		assertAllReleased(buffers, 52);
	}

	@Test
	void releasesEveryBufferWhenTheBodyIsMalformed() {
		List<DataBuffer> buffers = new CopyOnWriteArrayList<>();
		StepVerifier.create(this.parser.parse(tracked(buffers, 50, "[", "}"), Format.JSON_ARRAY))
			.expectNextCount(50)
			.expectError(MalformedBodyException.class)
			.verify();
		assertAllReleased(buffers, 52);
	}

	@Test
	void releasesEveryBufferWhenTheSubscriberCancels() {
		List<DataBuffer> buffers = new CopyOnWriteArrayList<>();
		StepVerifier.create(this.parser.parse(tracked(buffers, 50, "\n", "\n"), Format.NDJSON), 0)
			.thenRequest(2)
			.expectNextCount(2)
			.thenCancel()
			.verify();
		assertThat(buffers).hasSizeLessThan(6);
		assertAllReleased(buffers, buffers.size());
	}

	/**
	 * Netty buffers, one per record (each line split in two), recorded as they are made.
	 */
	private static Flux<DataBuffer> tracked(List<DataBuffer> made, int records, String open, String close) {
		NettyDataBufferFactory factory = new NettyDataBufferFactory(new UnpooledByteBufAllocator(false));
		Flux<String> texts = Flux.range(0, records)
			.map((i) -> ((i > 0 && "[".equals(open)) ? "," : "") + CustomerStreamBodies.customer(i) + "\n");
		return Flux.just(open).concatWith(texts).concatWith(Flux.just(close)).map((text) -> {
			DataBuffer buffer = factory.wrap(bytes(text));
			made.add(buffer);
			return buffer;
		}).hide();
	}

	private static void assertAllReleased(List<DataBuffer> buffers, int expected) {
		System.err.println(
				"REFCNTS " + buffers.stream().map((b) -> ((NettyDataBuffer) b).getNativeBuffer().refCnt()).toList());
		assertThat(buffers).hasSize(expected)
			.allSatisfy((buffer) -> assertThat(((NettyDataBuffer) buffer).getNativeBuffer().refCnt()).isZero());
	}

	/**
	 * A body of {@code records} customers made lazily, as a network would deliver it:
	 * buffers of varying sizes whose edges fall inside records, never the whole body in
	 * memory.
	 */
	private static Flux<DataBuffer> generated(int records, Format format) {
		boolean array = format == Format.JSON_ARRAY;
		Flux<byte[]> recordBytes = Flux.range(0, records)
			.map((i) -> bytes((array && i > 0 ? "," : "") + CustomerStreamBodies.customer(i) + "\n"));
		Flux<byte[]> all = array ? Flux.just(bytes("[")).concatWith(recordBytes).concatWith(Flux.just(bytes("]")))
				: recordBytes;
		AtomicInteger counter = new AtomicInteger();
		return all.concatMapIterable((bytes) -> {
			int cut = 1 + (counter.getAndIncrement() % bytes.length);
			byte[] head = new byte[cut];
			byte[] tail = new byte[bytes.length - cut];
			System.arraycopy(bytes, 0, head, 0, cut);
			System.arraycopy(bytes, cut, tail, 0, tail.length);
			return List.of(head, tail);
		}).<DataBuffer>map(DefaultDataBufferFactory.sharedInstance::wrap);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}

package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.stampedsync.testing.Customers;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** Request bodies for parser tests, cut into buffers the way a network might. */
final class CustomerStreamBodies {

	private static final DataBufferFactory FACTORY = DefaultDataBufferFactory.sharedInstance;

	private CustomerStreamBodies() {
	}

	/** {@code text} in one buffer. */
	static Flux<DataBuffer> whole(String text) {
		return Flux.just(text.getBytes(StandardCharsets.UTF_8)).map(FACTORY::wrap);
	}

	/**
	 * {@code text} cut into buffers of 1 to 7 bytes, so tokens and characters straddle
	 * them.
	 */
	static Flux<DataBuffer> tiny(String text) {
		return Flux.fromIterable(cut(text.getBytes(StandardCharsets.UTF_8), 7)).map(FACTORY::wrap);
	}

	/** {@code text} cut into buffers of one byte each. */
	static Flux<DataBuffer> bytewise(String text) {
		return Flux.fromIterable(cut(text.getBytes(StandardCharsets.UTF_8), 1)).map(FACTORY::wrap);
	}

	static List<byte[]> cut(byte[] bytes, int maxSize) {
		List<byte[]> chunks = new ArrayList<>();
		int size = 1;
		for (int at = 0; at < bytes.length; at += size) {
			size = Math.min(1 + (chunks.size() % maxSize), bytes.length - at);
			byte[] chunk = new byte[size];
			System.arraycopy(bytes, at, chunk, 0, size);
			chunks.add(chunk);
		}
		return chunks;
	}

	/** A customer object whose JSON names the given id. */
	static String customer(int id) {
		return Customers.customer(String.valueOf(id))
			.customerNumber("C-" + id)
			.firstName("Ada")
			.lastName("Lovelace")
			.email("ada" + id + "@example.com")
			.customField("Newsletter", "yes")
			.json();
	}

}

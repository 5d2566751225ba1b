package io.stampedsync.sandbox;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One accepted request as a simulator's routes see it, its body read whole.
 */
record Call<E extends Enum<E>>(E endpoint, HttpMethod method, String path, Map<String, List<String>> query,
		HttpHeaders headers, String body) {

	String header(String name) {
		return this.headers.get(name);
	}

	String query(String name) {
		List<String> values = this.query.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

}

package io.stampedsync.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The customers of the iPaaS.com simulator: generated ones ({@link SampleCustomers}) for
 * numeric ids in a range, customers put by tests (which win), and the external ids
 * written back, which show in the {@code external_ids} of later reads. Thread-safe.
 */
public final class IpaasStore {

	private final int writeLogCapacity;

	private final Map<String, ObjectNode> puts = new HashMap<>();

	private final Set<String> removed = new HashSet<>();

	private final Map<String, Map<Long, String>> links = new HashMap<>();

	private final ArrayDeque<ExternalIdWrite> writes = new ArrayDeque<>();

	private long firstId = 1;

	private long count = 1_000_000;

	private boolean invalidSamples;

	private long writeCount;

	IpaasStore(int writeLogCapacity) {
		this.writeLogCapacity = writeLogCapacity;
	}

	/**
	 * Generates customers for ids {@code firstId} to {@code firstId + count - 1} (default
	 * 1 to 1,000,000); {@code invalidSamples} makes every {@code id % 20 == 19} invalid
	 * (default off).
	 */
	public synchronized void generate(long firstId, long count, boolean invalidSamples) {
		this.firstId = firstId;
		this.count = count;
		this.invalidSamples = invalidSamples;
	}

	/** Puts or replaces the customer with the {@code id} of {@code customer}. */
	public synchronized void put(ObjectNode customer) {
		String id = Json.text(customer, "id");
		if (id == null) {
			throw new IllegalArgumentException("customer has no id");
		}
		this.puts.put(id, customer.deepCopy());
		this.removed.remove(id);
	}

	/** Makes {@code id} unknown (404), even when it is in the generated range. */
	public synchronized void remove(String id) {
		this.puts.remove(id);
		this.removed.add(id);
	}

	/** The customer as a GET returns it, external ids written back included. */
	public synchronized Optional<ObjectNode> customer(String id) {
		ObjectNode base = this.puts.get(id);
		if (base == null && !this.removed.contains(id)) {
			base = generated(id);
		}
		if (base == null) {
			return Optional.empty();
		}
		ObjectNode customer = base.deepCopy();
		Map<Long, String> linked = this.links.get(id);
		if (linked != null) {
			ArrayNode merged = Json.MAPPER.createArrayNode();
			JsonNode existing = customer.path("external_ids");
			existing.forEach((entry) -> {
				String system = Json.text(entry, "system_id");
				if (system == null || linked.keySet().stream().noneMatch((key) -> key.toString().equals(system))) {
					merged.add(entry);
				}
			});
			linked.forEach((system, external) -> merged.addObject()
				.put("system_id", system)
				.put("external_id", external)
				.put("internal_id", id));
			customer.set("external_ids", merged);
		}
		return Optional.of(customer);
	}

	/** The external id last written for {@code internalId} under {@code systemId}. */
	public synchronized Optional<String> externalId(String internalId, long systemId) {
		return Optional.ofNullable(this.links.getOrDefault(internalId, Map.of()).get(systemId));
	}

	/** The last external-id writes (at most the call-log capacity), oldest first. */
	public synchronized List<ExternalIdWrite> externalIdWrites() {
		return new ArrayList<>(this.writes);
	}

	/** Every external-id write received. */
	public synchronized long externalIdWriteCount() {
		return this.writeCount;
	}

	/** Forgets puts, removals and external ids; the generated range stays. */
	public synchronized void clear() {
		this.puts.clear();
		this.removed.clear();
		this.links.clear();
		this.writes.clear();
		this.writeCount = 0;
	}

	/** Records a write-back; false when the customer is unknown. */
	synchronized boolean record(ExternalIdWrite write) {
		if (customer(write.internalId()).isEmpty()) {
			return false;
		}
		this.links.computeIfAbsent(write.internalId(), (id) -> new LinkedHashMap<>())
			.put(write.systemId(), write.externalId());
		this.writeCount++;
		if (this.writeLogCapacity > 0) {
			if (this.writes.size() == this.writeLogCapacity) {
				this.writes.removeFirst();
			}
			this.writes.addLast(write);
		}
		return true;
	}

	private ObjectNode generated(String id) {
		long numeric;
		try {
			numeric = Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			return null;
		}
		boolean inRange = numeric >= this.firstId && numeric - this.firstId < this.count;
		return inRange ? SampleCustomers.customer(numeric, this.invalidSamples) : null;
	}

}

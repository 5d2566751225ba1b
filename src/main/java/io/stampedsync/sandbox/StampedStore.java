package io.stampedsync.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.stampedsync.sandbox.SimulatedCustomer.CustomerFields;

/**
 * The customers of the Stamped.io simulator: ids from {@value #FIRST_ID} up, one customer
 * per email (case-insensitive) as Stamped.io keeps them, how many creates made a new
 * customer or found one, and how many creates each email got (so a create sent twice
 * shows even though the store merges it). Thread-safe; operations are short and CPU-only,
 * so a monitor is fine on the event loop.
 */
public final class StampedStore {

	/** The id of the first customer created (the domain doc's example id). */
	public static final long FIRST_ID = 143491;

	private final TreeMap<Long, SimulatedCustomer> byId = new TreeMap<>();

	private final Map<String, Long> idByEmail = new HashMap<>();

	private long nextId = FIRST_ID;

	private long createdNew;

	private long deduplicated;

	private final Map<String, Integer> createsByEmail = new HashMap<>();

	/** The customer with {@code id}. */
	public synchronized Optional<SimulatedCustomer> byId(long id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	/** The customer with {@code email}, compared case-insensitively. */
	public synchronized Optional<SimulatedCustomer> byEmail(String email) {
		Long id = this.idByEmail.get(key(email));
		return (id != null) ? Optional.of(this.byId.get(id)) : Optional.empty();
	}

	/** How many customers there are. */
	public synchronized int count() {
		return this.byId.size();
	}

	/** Every customer, by id. */
	public synchronized List<SimulatedCustomer> all() {
		return new ArrayList<>(this.byId.values());
	}

	/** Creates that made a new customer. */
	public synchronized long createdNew() {
		return this.createdNew;
	}

	/** Creates that found an existing customer by email and updated it. */
	public synchronized long deduplicated() {
		return this.deduplicated;
	}

	/**
	 * Create calls applied for {@code email} (case-insensitive), whether they made a new
	 * customer or found one: more than one means the create was sent again.
	 */
	public synchronized int creates(String email) {
		return this.createsByEmail.getOrDefault(key(email), 0);
	}

	/** Create calls applied per email (lower case). */
	public synchronized Map<String, Integer> createsByEmail() {
		return new HashMap<>(this.createsByEmail);
	}

	/** Adds a customer directly (not counted as a create); returns it. */
	public synchronized SimulatedCustomer seed(String email, String firstName, String lastName) {
		return upsert(new CustomerFields(email, firstName, lastName, null, null, null), false);
	}

	/**
	 * Removes every customer, zeroes the create counters and restarts ids at the first.
	 */
	public synchronized void clear() {
		this.byId.clear();
		this.idByEmail.clear();
		this.nextId = FIRST_ID;
		this.createdNew = 0;
		this.deduplicated = 0;
		this.createsByEmail.clear();
	}

	/** A create: updates the customer with that email, or adds one. */
	synchronized SimulatedCustomer create(CustomerFields fields) {
		this.createsByEmail.merge(key(fields.email()), 1, Integer::sum);
		return upsert(fields, true);
	}

	/**
	 * Updates customer {@code id}: empty when unknown; fails when the new email is
	 * another customer's.
	 */
	synchronized Optional<SimulatedCustomer> update(long id, CustomerFields fields) {
		SimulatedCustomer current = this.byId.get(id);
		if (current == null) {
			return Optional.empty();
		}
		if (fields.email() != null) {
			Long owner = this.idByEmail.get(key(fields.email()));
			if (owner != null && owner != id) {
				throw new IllegalArgumentException("Email already belongs to customer " + owner);
			}
		}
		return Optional.of(save(current.merge(fields), current));
	}

	/** Sets the subscription flag of the customer with {@code email}. */
	synchronized Optional<SimulatedCustomer> subscribe(String email, boolean subscribed) {
		return byEmail(email).map((customer) -> save(customer.withSubscribed(subscribed), customer));
	}

	/** Page {@code page} (1-based) of {@code take} customers, by id. */
	synchronized List<SimulatedCustomer> page(int page, int take) {
		return this.byId.values().stream().skip((long) (page - 1) * take).limit(take).toList();
	}

	private SimulatedCustomer upsert(CustomerFields fields, boolean counted) {
		Long existing = this.idByEmail.get(key(fields.email()));
		if (existing != null) {
			this.deduplicated += counted ? 1 : 0;
			SimulatedCustomer current = this.byId.get(existing);
			return save(current.merge(fields), current);
		}
		this.createdNew += counted ? 1 : 0;
		SimulatedCustomer created = new SimulatedCustomer(this.nextId++, null, null, null, null, null, null, false)
			.merge(fields);
		return save(created, null);
	}

	private SimulatedCustomer save(SimulatedCustomer customer, SimulatedCustomer previous) {
		if (previous != null) {
			this.idByEmail.remove(key(previous.email()));
		}
		this.byId.put(customer.id(), customer);
		this.idByEmail.put(key(customer.email()), customer.id());
		return customer;
	}

	private static String key(String email) {
		return (email != null) ? email.trim().toLowerCase(Locale.ROOT) : "";
	}

}

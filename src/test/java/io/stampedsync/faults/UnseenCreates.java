package io.stampedsync.faults;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.stampedsync.outbound.CallLog;
import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import reactor.util.context.ContextView;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Per subscription and customer, the Stamped.io creates whose success the gateway did not
 * see: no answer, an answer lost or timed out, an error status. Only after one of those
 * may a retry apply a create a second time (DESIGN.md §5: a replay merges by email), so
 * "creates at the store ≤ 1 + unseen creates" holds however slow the machine is. Counting
 * the store's own lost answers instead was not enough: a loaded machine's client gives up
 * on an answer the store did send, and its retry is a second create the store cannot
 * explain.
 * <p>
 * One count for the test JVM, fed by an observer put into every gateway context by
 * {@link Registration} (listed in the tests' {@code META-INF/spring.factories}); a test
 * clears it before a run. A process that crashes ({@link #crashing}) sees nothing from
 * then on: its creates count as unseen, and so do those it saw succeed whose records the
 * journal still held unfinished when it died (their outcome was lost with it).
 */
public final class UnseenCreates {

	static final UnseenCreates SHARED = new UnseenCreates();

	private static final String CREATE_PATH = "/dashboard/customers/add";

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private UnseenCreates() {
	}

	private void count(String key) {
		this.counts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	/** The subscription and customer of a Stamped.io create, else {@code null}. */
	private static String createOf(OutboundCall call, ContextView context) {
		if (call.direction() != Direction.STAMPED || !"POST".equals(call.method()) || call.path() == null
				|| !call.path().endsWith(CREATE_PATH)) {
			return null;
		}
		CallLog log = CallLog.from(context);
		return (log != null && log.ipaasCustomerId() != null) ? key(call.subscriptionId(), log.ipaasCustomerId())
				: null;
	}

	/**
	 * The process of {@code context} is crashing: every create it sees end from now on
	 * went unseen (its outcome cannot be stored). Gives what it saw, for
	 * {@link Witness#crashed} once it is cut off.
	 */
	static Witness crashing(ConfigurableApplicationContext context) {
		Witness witness = context.getBean(Witness.class);
		witness.dead = true;
		return witness;
	}

	/** The creates for this customer of this subscription whose success went unseen. */
	int of(String subscriptionId, String ipaasCustomerId) {
		AtomicInteger count = this.counts.get(key(subscriptionId, ipaasCustomerId));
		return (count != null) ? count.get() : 0;
	}

	void clear() {
		this.counts.clear();
	}

	static String key(String subscriptionId, String ipaasCustomerId) {
		return subscriptionId + '\n' + ipaasCustomerId;
	}

	/** Registers an observer of its own in every gateway the tests start. */
	public static final class Registration implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			context.getBeanFactory().registerSingleton("unseenCreates", new Witness());
		}

	}

	/** What one gateway process sees of its creates. */
	static final class Witness implements CallObserver {

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		volatile boolean dead;

		@Override
		public void onCall(OutboundCall call, ContextView context) {
			String key = createOf(call, context);
			if (key == null) {
				return;
			}
			if (this.dead || !call.succeeded()) {
				SHARED.count(key);
			}
			else {
				this.succeeded.add(key);
			}
		}

		/**
		 * The process has crashed: each create it saw succeed counts as unseen if the
		 * journal, which it can no longer write, holds that customer's record of that
		 * subscription unfinished (its outcome was lost with the process).
		 * @param unfinished subscription and customer of every unfinished record
		 * ({@link UnseenCreates#key})
		 */
		void crashed(Set<String> unfinished) {
			this.succeeded.stream().filter(unfinished::contains).forEach(SHARED::count);
		}

	}

}

package io.stampedsync.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * One observer for the test JVM, put into every gateway context by {@link Registration}
 * (listed in the tests' {@code META-INF/spring.factories}); a test clears it before a
 * run.
 */
public final class UnseenCreates implements CallObserver {

	static final UnseenCreates SHARED = new UnseenCreates();

	private static final String CREATE_PATH = "/dashboard/customers/add";

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private UnseenCreates() {
	}

	@Override
	public void onCall(OutboundCall call, ContextView context) {
		if (call.direction() != Direction.STAMPED || call.succeeded() || !"POST".equals(call.method())
				|| call.path() == null || !call.path().endsWith(CREATE_PATH)) {
			return;
		}
		CallLog log = CallLog.from(context);
		if (log != null && log.ipaasCustomerId() != null) {
			this.counts.computeIfAbsent(key(call.subscriptionId(), log.ipaasCustomerId()), (k) -> new AtomicInteger())
				.incrementAndGet();
		}
	}

	/** The creates for this customer of this subscription whose success went unseen. */
	int of(String subscriptionId, String ipaasCustomerId) {
		AtomicInteger count = this.counts.get(key(subscriptionId, ipaasCustomerId));
		return (count != null) ? count.get() : 0;
	}

	void clear() {
		this.counts.clear();
	}

	private static String key(String subscriptionId, String ipaasCustomerId) {
		return subscriptionId + '\n' + ipaasCustomerId;
	}

	/** Registers the one observer in every gateway the tests start. */
	public static final class Registration implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			context.getBeanFactory().registerSingleton("unseenCreates", SHARED);
		}

	}

}

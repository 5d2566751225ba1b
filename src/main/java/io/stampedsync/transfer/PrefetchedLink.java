package io.stampedsync.transfer;

/**
 * A customer's link as the journal held it when the dispatcher read the customer's record
 * ahead: the read-ahead page brings it along, so that the transfer need not look it up
 * between its calls. It is only a hint: the {@link LinkStore} answers with it only while
 * it can prove no save of that customer's link came since (see
 * {@link LinkStore#find(String, String, PrefetchedLink)}).
 *
 * @param subscriptionId the subscription the page belongs to
 * @param ipaasCustomerId the customer of the record read
 * @param link the link read, {@code null} when the journal had none
 * @param readAt the link store's count of link changes taken just before the page was
 * read
 */
public record PrefetchedLink(String subscriptionId, String ipaasCustomerId, CustomerLink link, long readAt) {

	/** Whether this is the link of that customer of that subscription. */
	public boolean isFor(String subscriptionId, String ipaasCustomerId) {
		return this.subscriptionId.equals(subscriptionId) && this.ipaasCustomerId.equals(ipaasCustomerId);
	}

}

package io.stampedsync.cluster;

/**
 * A verify that found a subscription's keys good, as stored in
 * {@code credentials_verified} and announced with {@code NOTIFY credentials_verified}.
 *
 * @param subscriptionId the subscription verified
 * @param settingsVersion the settings version whose keys were found good
 * @param number grows with every verify of the subscription: the owner applies each one
 * once, so that a verify made before a later refusal of the same keys does not lift it
 */
record StoredVerify(String subscriptionId, long settingsVersion, long number) {

}

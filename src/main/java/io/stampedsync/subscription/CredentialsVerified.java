package io.stampedsync.subscription;

/**
 * An application event: a verify through the API found the credentials of this settings
 * version good. In distributed mode the replica that runs the subscription may be another
 * one, paused for these very credentials: the event is how it hears of the fix.
 *
 * @param subscriptionId the subscription verified
 * @param settingsVersion the settings version whose credentials were checked
 */
public record CredentialsVerified(String subscriptionId, long settingsVersion) {

}

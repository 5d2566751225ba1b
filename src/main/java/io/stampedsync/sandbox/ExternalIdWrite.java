package io.stampedsync.sandbox;

/**
 * One {@code UpdateExternalId} the iPaaS.com simulator received.
 *
 * @param tableName always {@code customer}
 * @param systemId the subscription's iPaaS system id
 * @param externalId the Stamped customer id
 * @param internalId the iPaaS customer id
 */
public record ExternalIdWrite(String tableName, long systemId, String externalId, String internalId) {

}

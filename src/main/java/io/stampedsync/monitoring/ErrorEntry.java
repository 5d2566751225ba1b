package io.stampedsync.monitoring;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the error log: a failed or rejected transfer ({@code kind = transfer}) or a
 * failed outbound call ({@code kind = call}).
 *
 * @param id assigned by the store; {@code null} before it is written
 * @param subscriptionId the subscription the error belongs to
 * @param batchId the batch of a transfer; {@code null} for a call
 * @param recordIndex the record's place in its batch; {@code null} for a call
 * @param ipaasCustomerId the iPaaS.com customer id of a transfer, when known
 * @param email the customer's email of a transfer, when known
 * @param code the {@code ErrorCode} name
 * @param message the message in the wording of DESIGN.md §5
 * @param httpStatus the HTTP status, when there was a response
 * @param attempts attempts of the transfer, or the attempt number of the call
 * @param direction {@code stamped} or {@code ipaas} for a call; {@code null} for a
 * transfer
 * @param kind {@code transfer} or {@code call}
 * @param occurredAt when it happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorEntry(Long id, String subscriptionId, String batchId, Integer recordIndex, String ipaasCustomerId,
		String email, String code, String message, Integer httpStatus, int attempts, String direction, String kind,
		Instant occurredAt) {

	/** Kind of a failed or rejected transfer. */
	public static final String TRANSFER = "transfer";

	/** Kind of a failed outbound call. */
	public static final String CALL = "call";

}

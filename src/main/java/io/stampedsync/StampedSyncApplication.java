package io.stampedsync;

import io.stampedsync.web.KeepAliveRequests;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Stamped Sync: a reactive gateway that transfers iPaaS.com customers into Stamped.io.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StampedSyncApplication {

	public static void main(String[] args) {
		KeepAliveRequests.answerEveryOne();
		SpringApplication.run(StampedSyncApplication.class, args);
	}

}

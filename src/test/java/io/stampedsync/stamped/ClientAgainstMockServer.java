package io.stampedsync.stamped;

import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up of the client tests: a fresh MockWebServer for each test and a Stamped.io
 * client wired by hand against it ({@link StampedFixture}), closed after the test.
 */
abstract class ClientAgainstMockServer {

	@StartStop
	final MockWebServer server = new MockWebServer();

	StampedFixture fixture;

	StampedClient client;

	@BeforeEach
	void setUpClient() {
		this.fixture = new StampedFixture(this.server.url("/").toString());
		this.client = this.fixture.client();
	}

	@AfterEach
	void closeClient() {
		this.fixture.close();
	}

}

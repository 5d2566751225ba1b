package io.stampedsync.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

class ApiProblemsTests {

	static final String SECRET = "key-abcdefghijklmnop1234";

	private final WebTestClient client = WebTestClient.bindToController(new ProblemController())
		.controllerAdvice(new ApiExceptionHandler())
		.validator(validator())
		.build();

	@Test
	void factoriesGiveStatusDetailAndViolations() {
		ApiProblemException problem = ApiProblemException.unprocessable("2 rules",
				List.of(new FieldViolation("a", "required"), new FieldViolation("b", "must be at least 1")));
		assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(problem.getBody().getDetail()).isEqualTo("2 rules");
		assertThat(problem.violations()).extracting(FieldViolation::field).containsExactly("a", "b");
		assertThat(ApiProblemException.notFound("x").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(ApiProblemException.conflict("x").getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(ApiProblemException.badRequest("x").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ApiProblemException.of(HttpStatus.SERVICE_UNAVAILABLE, "x").violations()).isEmpty();
		assertThat(problem.getStackTrace()).isEmpty();
	}

	@Test
	void answersAProblemExceptionAsProblemJson() {
		this.client.get()
			.uri("/api/v1/test/unprocessable")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Unprocessable Content")
			.jsonPath("$.detail")
			.isEqualTo("1 rule")
			.jsonPath("$.instance")
			.isEqualTo("/api/v1/test/unprocessable")
			.jsonPath("$.errors[0].field")
			.isEqualTo("name")
			.jsonPath("$.errors[0].rule")
			.isEqualTo("required");
	}

	@Test
	void answersBeanValidationWith422ListingFieldsWithoutValues() {
		String body = this.client.post()
			.uri("/api/v1/test/valid")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \" \", \"count\": 0, \"note\": \"" + SECRET + "\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"field\":\"name\"", "\"field\":\"count\"").doesNotContain(SECRET);
	}

	@Test
	void answersAnUnexpectedErrorWith500WithoutItsMessage() {
		String body = this.client.get()
			.uri("/api/v1/test/boom")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("Unexpected error").doesNotContain(SECRET, "IllegalStateException", "at io.");
	}

	@Test
	void answersAnUnsupportedMediaTypeWithAProblem() {
		this.client.post()
			.uri("/api/v1/test/valid")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("x")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersABodyOverTheCodecLimitWith413NotA500() {
		WebTestClient small = WebTestClient.bindToController(new ProblemController())
			.controllerAdvice(new ApiExceptionHandler())
			.validator(validator())
			.httpMessageCodecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(64))
			.build();
		small.post()
			.uri("/api/v1/test/valid")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"" + "x".repeat(200) + "\",\"count\":1}")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static LocalValidatorFactoryBean validator() {
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		return validator;
	}

	record Named(@NotBlank String name, @Min(1) int count, String note) {

	}

	@RestController
	static class ProblemController {

		@GetMapping("/api/v1/test/unprocessable")
		Mono<String> unprocessable() {
			return Mono
				.error(ApiProblemException.unprocessable("1 rule", List.of(new FieldViolation("name", "required"))));
		}

		@PostMapping("/api/v1/test/valid")
		Mono<String> valid(@Valid @RequestBody Named named) {
			return Mono.just(named.name());
		}

		@GetMapping("/api/v1/test/boom")
		Mono<String> boom() {
			return Mono.error(new IllegalStateException("leaked " + SECRET));
		}

	}

}

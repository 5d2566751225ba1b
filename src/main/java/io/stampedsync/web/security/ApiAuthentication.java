package io.stampedsync.web.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An authenticated API caller, as Spring Security sees it. */
final class ApiAuthentication extends AbstractAuthenticationToken {

	private final ApiPrincipal principal;

	ApiAuthentication(ApiPrincipal principal) {
		super(principal.role().authorities());
		this.principal = principal;
		setAuthenticated(true);
	}

	@Override
	public ApiPrincipal getPrincipal() {
		return this.principal;
	}

	/** No credentials are kept: the token was only compared, never stored here. */
	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public String getName() {
		return this.principal.name();
	}

}

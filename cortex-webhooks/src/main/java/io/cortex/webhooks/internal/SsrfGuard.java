package io.cortex.webhooks.internal;

import io.cortex.webhooks.UrlPolicy;
import io.cortex.webhooks.UrlPolicyViolationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The SSRF guard of the dispatcher's HTTP client, for one {@link UrlPolicy}: as a {@link Dns} it
 * checks every address a connection is about to be made to, and as an application
 * {@link Interceptor} it resolves the host and checks every address before each attempt, so an
 * attempt that reuses a pooled connection is judged against fresh DNS too.
 */
public final class SsrfGuard implements Dns, Interceptor {

  private final Dns delegate;
  private final UrlPolicy policy;

  /**
   * Creates the guard.
   *
   * @param delegate the resolver to ask
   * @param policy the rules addresses must pass
   */
  public SsrfGuard(Dns delegate, UrlPolicy policy) {
    this.delegate = delegate;
    this.policy = policy;
  }

  /**
   * Resolves {@code hostname} and checks every address.
   *
   * @param hostname the host
   * @return the addresses, all allowed
   * @throws UnknownHostException if the host does not resolve, or an {@link AddressRefused} if an
   *     address is refused
   */
  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> addresses = delegate.lookup(hostname);
    for (InetAddress address : addresses) {
      try {
        policy.checkAddress(address);
      } catch (UrlPolicyViolationException e) {
        throw new AddressRefused(hostname, e);
      }
    }
    return addresses;
  }

  /**
   * Checks the request's host before the attempt goes on.
   *
   * @param chain the chain
   * @return the response
   * @throws IOException if the host is refused or the attempt fails
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    lookup(chain.request().url().host());
    return chain.proceed(chain.request());
  }

  /** A resolved address was refused by the {@link UrlPolicy}. */
  public static final class AddressRefused extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    private final UrlPolicy.Rule rule;

    AddressRefused(String hostname, UrlPolicyViolationException cause) {
      super("host " + hostname + " resolved to a refused " + cause.getMessage());
      this.rule = cause.rule();
      initCause(cause);
    }

    /**
     * Returns the rule that refused the address.
     *
     * @return the rule
     */
    public UrlPolicy.Rule rule() {
      return rule;
    }
  }
}

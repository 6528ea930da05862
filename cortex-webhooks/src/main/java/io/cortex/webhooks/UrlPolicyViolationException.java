package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

/**
 * A webhook URL or the address it resolved to is refused by a {@link UrlPolicy}. The
 * {@link #rule()} says which rule refused it; the message names the URL or address, the range and
 * the option that would allow it, if any.
 */
public final class UrlPolicyViolationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final UrlPolicy.Rule rule;

  /**
   * Creates the exception.
   *
   * @param rule the rule that refused
   * @param message an explanation
   * @throws NullPointerException if an argument is null
   */
  public UrlPolicyViolationException(UrlPolicy.Rule rule, String message) {
    super(checkNotNull(message, "message"));
    this.rule = checkNotNull(rule, "rule");
  }

  /**
   * Returns the rule that refused the URL or address.
   *
   * @return the rule
   */
  public UrlPolicy.Rule rule() {
    return rule;
  }
}

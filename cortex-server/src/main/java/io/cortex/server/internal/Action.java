package io.cortex.server.internal;

/** What one endpoint does with a request that passed authentication, rate limiting and scope. */
@FunctionalInterface
public interface Action {
    /**
     * Handles the request; throw a {@link Problem} (or any exception {@link ProblemMapper} knows) to
     * answer with a problem.
     *
     * @param call the request
     * @throws Exception anything; mapped to a problem
     */
    void handle(Call call) throws Exception;
}

package dev.reel.webhooks.delivery;

/**
 * What an endpoint made of one attempt.
 *
 * @param status         the HTTP status, or 0 when no answer came
 * @param error          why it failed, or {@code null} for a 2xx
 * @param durationMillis from the start of the attempt to the end of the answer
 */
public record AttemptResult(int status, String error, long durationMillis) {

    public boolean succeeded() {
        return error == null;
    }
}

package dev.reel.service.config;

import java.util.List;

/** Start-up configuration that cannot work; the message lists every problem, one per line. */
public final class InvalidConfigException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

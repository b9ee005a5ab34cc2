package dev.reel.service.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Named readiness checks behind {@code /readyz}. A check is called on the request thread, so it must be
 * cheap and never block: read a flag or a timestamp that a background task keeps up to date.
 */
public final class Readiness {

    private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

    public Readiness add(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    /** Each check's current state, in name order. */
    public Map<String, Boolean> evaluate() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        checks.keySet().stream().sorted().forEach(name -> states.put(name, safely(checks.get(name))));
        return states;
    }

    public boolean isReady() {
        return evaluate().values().stream().allMatch(Boolean::booleanValue);
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}

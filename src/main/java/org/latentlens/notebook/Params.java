package org.latentlens.notebook;

import java.util.Map;
import java.util.function.Function;

/**
 * Notebook parameters from environment variables, for the one parameter cell each notebook starts with:
 * CI and Binder set variables (e.g. {@code LATENTLENS_MODEL}) and the notebook falls back to defaults that run
 * offline on the bundled model. Each lookup prints what was chosen and where it came from, so an executed
 * notebook records its parameters.
 *
 * <pre>
 * String model = Params.get("LATENTLENS_MODEL", "minilm");
 * int layers = Params.getInt("LATENTLENS_LAYERS", 6);
 * </pre>
 */
public final class Params {
    private static volatile Function<String, String> env = System::getenv;

    private Params() {
    }

    /**
     * @param name the environment variable
     * @param fallback the value when it is unset or blank
     * @return the value
     */
    public static String get(String name, String fallback) {
        String v = env.apply(name);
        boolean set = v != null && !v.isBlank();
        String value = set ? v.strip() : fallback;
        System.out.println(name + " = " + value + (set ? "  (from the environment)" : "  (default)"));
        return value;
    }

    /**
     * @param name the environment variable
     * @param fallback the value when it is unset or blank
     * @return the value as an int
     * @throws IllegalArgumentException when the variable is set but not an integer (names it and its value)
     */
    public static int getInt(String name, int fallback) {
        String v = get(name, Integer.toString(fallback));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + " is not an integer", e);
        }
    }

    /** For tests: reads variables from a map instead of the process environment. */
    static void useEnvironment(Map<String, String> vars) {
        env = vars::get;
    }

    /** For tests: back to the process environment. */
    static void useProcessEnvironment() {
        env = System::getenv;
    }
}

package org.latentlens.notebook;

/** The test JVM's real classpath (surefire launches through a manifest-only jar, which javac may not follow). */
final class TestClasspath {
    private TestClasspath() {
    }

    /** @return the classpath, entries separated by the path separator */
    static String get() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}

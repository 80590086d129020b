package org.latentlens.index;

/** An index file was written in a format version this library no longer reads. */
public class IndexFormatTooOldException extends IndexFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param version its version
     * @param oldest the oldest version this library reads
     */
    public IndexFormatTooOldException(String file, int version, int oldest) {
        super(file + ": index format version " + version + " is too old; this library reads versions " + oldest
                + " to " + IndexFiles.VERSION_CURRENT + ". Rebuild the index, or re-import it from the Python format.");
    }
}

package org.latentlens.index;

/** An index file was written by a newer version of this library. */
public class IndexFormatTooNewException extends IndexFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param version its version
     * @param newest the newest version this library reads
     */
    public IndexFormatTooNewException(String file, int version, int newest) {
        super(file + ": index format version " + version + " is newer than this library understands (it reads up to "
                + newest + "). Upgrade LatentLens for Java.");
    }
}

package org.latentlens.io.torch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;
import org.latentlens.io.DType;
import org.latentlens.io.FloatConversions;
import org.latentlens.io.TensorFormatException;

/**
 * A file written by {@code torch.save} (the zip format of PyTorch 1.6 and later): {@code <root>/data.pkl}
 * (the pickled object), {@code <root>/data/<key>} (raw little-endian storages) and {@code <root>/version},
 * where {@code <root>} is the archive's single top-level folder (the file's base name when written;
 * any name is accepted). Both the PyTorch 1.13 layout and the 2.x one (which adds {@code byteorder},
 * {@code .format_version}, {@code .storage_alignment}) are read.
 *
 * <pre>{@code
 * try (TorchArchive a = TorchArchive.open(Path.of("layer_8/embeddings_cache.pt"))) {
 *     Map<?, ?> cache = (Map<?, ?>) a.load();
 *     TorchTensor emb = (TorchTensor) cache.get("embeddings");
 *     try (InputStream in = a.openData(emb)) { ... }
 * }
 * }</pre>
 */
public final class TorchArchive implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final String root;

    private TorchArchive(Path file, ZipFile zip, String root) {
        this.file = file;
        this.zip = zip;
        this.root = root;
    }

    /**
     * Opens an archive and finds its root folder.
     *
     * @param file the .pt file
     * @return the archive
     * @throws IOException if the file cannot be read
     * @throws TensorFormatException if it is not a torch.save zip (for example a legacy, pre-1.6 file)
     */
    public static TorchArchive open(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TensorFormatException(file + ": not a torch.save zip archive (" + e.getMessage()
                    + "); files saved with _use_new_zipfile_serialization=False are not supported", e);
        }
        String root = null;
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                root = n.substring(0, n.length() - "data.pkl".length());
                break;
            }
        }
        if (root == null) {
            zip.close();
            throw new TensorFormatException(file + ": no <root>/data.pkl entry: not a torch.save archive");
        }
        ZipEntry bo = zip.getEntry(root + "byteorder");
        if (bo != null) {
            try (InputStream in = zip.getInputStream(bo)) {
                String order = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (!order.equals("little")) {
                    zip.close();
                    throw new TensorFormatException(file + ": byteorder is '" + order + "'; only little-endian archives are supported");
                }
            }
        }
        return new TorchArchive(file, zip, root);
    }

    /** @return the archive's root folder name, without the slash */
    public String root() {
        return root.substring(0, root.length() - 1);
    }

    /**
     * Unpickles {@code data.pkl} with the {@link RestrictedUnpickler}.
     *
     * @return the object tree: {@code Map}, {@code List}, {@code Object[]} (tuples), {@code String},
     *     numbers, booleans, {@code null} and {@link TorchTensor}
     * @throws UnsafePickleException if the pickle names a global or opcode outside the allow-list
     * @throws IOException if reading fails
     */
    public Object load() throws IOException {
        ZipEntry e = zip.getEntry(root + "data.pkl");
        try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
            RestrictedUnpickler u = new RestrictedUnpickler(file.toString());
            try {
                return u.load(in);
            } catch (PickleException pe) {
                throw new TensorFormatException(file + ": malformed pickle: " + pe.getMessage(), pe);
            } catch (ClassCastException | IllegalArgumentException ce) {
                throw new TensorFormatException(file + ": malformed pickle: " + ce, ce);
            } finally {
                u.close();
            }
        }
    }

    /**
     * Opens a stream over a contiguous tensor's bytes (little-endian, row-major), positioned at its first
     * element. The caller reads {@code numel * width} bytes.
     *
     * @param t a contiguous tensor of this archive
     * @return the stream
     * @throws TensorFormatException if the storage entry is missing or too short, or the tensor is not contiguous
     * @throws IOException if reading fails
     */
    public DataInputStream openData(TorchTensor t) throws IOException {
        if (!t.isContiguous()) {
            throw new TensorFormatException(file + ": tensor " + t + " is not contiguous");
        }
        ZipEntry e = zip.getEntry(root + "data/" + t.storage().key());
        if (e == null) {
            throw new TensorFormatException(file + ": storage entry " + root + "data/" + t.storage().key() + " is missing");
        }
        int width = t.dtype().byteWidth();
        long need = (t.storageOffset() + t.numel()) * width;
        if (t.storageOffset() + t.numel() > t.storage().numel() || (e.getSize() >= 0 && e.getSize() < need)) {
            throw new TensorFormatException(file + ": tensor " + t + " needs " + need + " bytes of storage "
                    + t.storage().key() + ", which has " + e.getSize());
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(e), 1 << 20));
        long skip = t.storageOffset() * width;
        while (skip > 0) {
            long n = in.skip(skip);
            if (n <= 0) {
                in.close();
                throw new EOFException(file + ": storage " + t.storage().key() + " ends early");
            }
            skip -= n;
        }
        return in;
    }

    /**
     * Reads a float16 or float32 tensor with at most 2^31 - 1 elements as float32, honouring its strides.
     *
     * @param t a tensor of this archive
     * @return its values, row-major
     * @throws TensorFormatException for other dtypes or oversized tensors
     * @throws IOException if reading fails
     */
    public float[] readFloats(TorchTensor t) throws IOException {
        if (t.dtype() != DType.F16 && t.dtype() != DType.F32) {
            throw new TensorFormatException(file + ": tensor " + t + " is " + t.dtype().safetensorsName()
                    + "; expected float16 or float32");
        }
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new TensorFormatException(file + ": tensor " + t + " is too large to read into one array");
        }
        float[] out = new float[(int) n];
        if (t.isContiguous()) {
            try (DataInputStream in = openData(t)) {
                readInto(in, t.dtype(), out, 0, out.length);
            }
            return out;
        }
        // a strided view: read the whole storage, then gather
        TorchTensor whole = new TorchTensor(t.storage(), 0, new long[] {t.storage().numel()}, new long[] {1});
        if (whole.numel() > Integer.MAX_VALUE - 8) {
            throw new TensorFormatException(file + ": strided tensor " + t + " over a storage too large to read");
        }
        float[] all = new float[(int) whole.numel()];
        try (DataInputStream in = openData(whole)) {
            readInto(in, t.dtype(), all, 0, all.length);
        }
        long[] idx = new long[t.shape().length];
        for (int i = 0; i < out.length; i++) {
            long off = t.storageOffset();
            for (int d = 0; d < idx.length; d++) {
                off += idx[d] * t.stride()[d];
            }
            out[i] = all[(int) off];
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < t.shape()[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    /**
     * Reads {@code count} little-endian float16 or float32 values from a stream.
     *
     * @param in the stream
     * @param dtype F16 or F32
     * @param dst destination
     * @param off first index
     * @param count number of values
     * @throws IOException if the stream ends early
     */
    public static void readInto(DataInputStream in, DType dtype, float[] dst, int off, int count) throws IOException {
        int width = dtype.byteWidth();
        byte[] buf = new byte[Math.min(count, 1 << 16) * width];
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, buf.length / width);
            in.readFully(buf, 0, n * width);
            if (dtype == DType.F16) {
                for (int i = 0; i < n; i++) {
                    int bits = (buf[2 * i] & 0xff) | ((buf[2 * i + 1] & 0xff) << 8);
                    dst[off + done + i] = FloatConversions.halfToFloat((short) bits);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int bits = (buf[4 * i] & 0xff) | ((buf[4 * i + 1] & 0xff) << 8) | ((buf[4 * i + 2] & 0xff) << 16)
                            | ((buf[4 * i + 3] & 0xff) << 24);
                    dst[off + done + i] = Float.intBitsToFloat(bits);
                }
            }
            done += n;
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

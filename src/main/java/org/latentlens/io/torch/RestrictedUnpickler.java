package org.latentlens.io.torch;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.latentlens.io.DType;

/**
 * An unpickler for torch.save's {@code data.pkl} that builds only what such files need and refuses the
 * rest before anything is constructed.
 *
 * <p>Python's pickle runs arbitrary callables named by {@code GLOBAL}/{@code STACK_GLOBAL} opcodes (a
 * downloaded index loaded with {@code weights_only=False} can run {@code os.system}). Here every global is
 * looked up in a fixed allow-list: {@code torch._utils._rebuild_tensor_v2} and {@code _rebuild_tensor}
 * (rebuilt as {@link TorchTensor}), {@code collections.OrderedDict} (a {@link LinkedHashMap}) and the
 * typed storage classes {@code torch.HalfStorage}, {@code torch.FloatStorage}, ... (only as markers inside
 * persistent ids). Any other global, and the opcodes that build objects without a global
 * ({@code INST}, {@code OBJ}, {@code EXT1/2/4}, {@code BUILD}), raise {@link UnsafePickleException}.
 * Pyrolite's own global registry is never consulted.
 */
public final class RestrictedUnpickler extends Unpickler {
    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("HalfStorage", DType.F16), Map.entry("FloatStorage", DType.F32),
            Map.entry("DoubleStorage", DType.F64), Map.entry("BFloat16Storage", DType.BF16),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));

    private final String source;

    /** @param source the file being read, for error messages */
    public RestrictedUnpickler(String source) {
        this.source = source;
    }

    /** A storage class named in a persistent id; calling it is refused. */
    record StorageClass(String name, DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new UnsafePickleException("calling torch." + name + " is not allowed in a restricted pickle");
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new UnsafePickleException(source + ": STACK_GLOBAL with non-string operands");
                }
                stack.add(resolve(m, n));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST:
            case Opcodes.OBJ:
            case Opcodes.EXT1:
            case Opcodes.EXT2:
            case Opcodes.EXT4:
            case Opcodes.BUILD:
                throw new UnsafePickleException(source + ": pickle opcode " + opcodeName(key)
                        + " is not allowed (torch.save index files never need it)");
            default:
                return super.dispatch(key);
        }
    }

    private static String opcodeName(short key) {
        return switch (key) {
            case Opcodes.INST -> "INST";
            case Opcodes.OBJ -> "OBJ";
            case Opcodes.EXT1 -> "EXT1";
            case Opcodes.EXT2 -> "EXT2";
            case Opcodes.EXT4 -> "EXT4";
            case Opcodes.BUILD -> "BUILD";
            default -> "0x" + Integer.toHexString(key);
        };
    }

    private IObjectConstructor resolve(String module, String name) {
        String full = module + "." + name;
        if (module.equals("torch._utils") && (name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_tensor"))) {
            return args -> rebuildTensor(full, args);
        }
        if (module.equals("collections") && name.equals("OrderedDict")) {
            return args -> {
                if (args.length != 0) {
                    throw new UnsafePickleException(source + ": collections.OrderedDict called with arguments");
                }
                return new LinkedHashMap<>();
            };
        }
        if (module.equals("torch") && STORAGES.containsKey(name)) {
            return new StorageClass(name, STORAGES.get(name));
        }
        throw new UnsafePickleException(source + ": refusing to load Python global '" + full + "': only torch tensors "
                + "(torch._utils._rebuild_tensor_v2, torch.*Storage), collections.OrderedDict, lists, dicts, strings and "
                + "numbers are allowed in an index file");
    }

    private Object rebuildTensor(String fn, Object[] args) {
        if (args.length < 4 || !(args[0] instanceof TorchStorage storage) || !(args[2] instanceof Object[] size)
                || !(args[3] instanceof Object[] stride)) {
            throw new UnsafePickleException(source + ": unexpected arguments to " + fn);
        }
        long offset = ((Number) args[1]).longValue();
        long[] shape = new long[size.length];
        long[] st = new long[stride.length];
        if (shape.length != st.length) {
            throw new UnsafePickleException(source + ": " + fn + " with " + shape.length + " sizes but " + st.length + " strides");
        }
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ((Number) size[i]).longValue();
            st[i] = ((Number) stride[i]).longValue();
            if (shape[i] < 0 || st[i] < 0) {
                throw new UnsafePickleException(source + ": negative size or stride in " + fn);
            }
        }
        return new TorchTensor(storage, offset, shape, st);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (pid instanceof Object[] t && t.length >= 5 && "storage".equals(t[0]) && t[1] instanceof StorageClass sc
                && t[2] instanceof String storageKey && t[4] instanceof Number numel) {
            return new TorchStorage(sc.dtype(), storageKey, numel.longValue());
        }
        throw new UnsafePickleException(source + ": unsupported persistent id " + describe(pid)
                + " (expected ('storage', torch.<Type>Storage, key, location, numel))");
    }

    private static String describe(Object o) {
        if (o instanceof Object[] a) {
            return java.util.Arrays.deepToString(a);
        }
        return String.valueOf(o);
    }
}

/** Absolute path of the directory holding <interop/buffer.h>, for `include_dirs` in binding.gyp. */
export declare const include_dir: string;
/** The same path as a JSON string (quoted), as node-addon-api's `include` is. */
export declare const include: string;

import { sharedErrorCodes, type SharedErrorCode } from './codes.js';
import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from './interop-error.js';

/**
 * An error class made by {@link defineErrorFamily}: `new Family(code, message, options)`,
 * `instanceof Family`, and a static `isInstance` that recognises errors thrown by another copy of
 * the package (version skew, plugins). `Code` is the family's domain codes plus the shared ones.
 */
export interface ErrorFamily<Code extends string> {
  new (code: Code, message: string, options?: InteropErrorOptions): InteropError<Code>;
  readonly prototype: InteropError<Code>;
  /** The class name, also the `name` of every instance (e.g. `"NpyError"`). */
  readonly name: string;
  /** The family's own codes with their meanings; shared codes are in `sharedErrorCodes`. */
  readonly codes: Readonly<Record<Exclude<Code, SharedErrorCode>, string>>;
  /** True for an error of this family thrown by any copy of its package. */
  isInstance(error: unknown): error is InteropError<Code>;
  /** True when `code` is a code this family can carry (its own or a shared one). */
  hasCode(code: unknown): code is Code;
}

/**
 * Makes a package's error class from its name, its brand key and its domain codes. Instances
 * extend `InteropError`, carry `code` and `details`, and are branded with `Symbol.for(brandKey)`
 * so `isInstance` works across copies of the package. Every family can also carry the shared codes
 * (`sharedErrorCodes`: invalid argument, released, index out of range, shape mismatch, ...).
 *
 * @example
 * ```ts
 * import { defineErrorFamily, type ErrorFamily } from '@interop/core';
 * const tiffErrorCodes = { ERR_TIFF_BAD_IFD: 'An image file directory points outside the file.' } as const;
 * type TiffErrorCode = keyof typeof tiffErrorCodes | 'ERR_INVALID_ARGUMENT';
 * const TiffError: ErrorFamily<TiffErrorCode> = defineErrorFamily('TiffError', '@acme/tiff/TiffError', tiffErrorCodes);
 * const error = new TiffError('ERR_TIFF_BAD_IFD', 'IFD 2 starts at byte 900 of a 512-byte file; the file is truncated.');
 * console.log(TiffError.isInstance(error), error.code); // true "ERR_TIFF_BAD_IFD"
 * ```
 */
export function defineErrorFamily<Domain extends Readonly<Record<string, string>>>(
  name: string,
  brandKey: string,
  codes: Domain,
): ErrorFamily<(keyof Domain & string) | SharedErrorCode> {
  type Code = (keyof Domain & string) | SharedErrorCode;
  const brand = Symbol.for(brandKey);
  const table: Readonly<Record<string, string>> = Object.freeze({ ...codes });
  class FamilyError extends InteropError<Code> {
    static readonly codes = table;

    constructor(code: Code, message: string, options: InteropErrorOptions = {}) {
      super(code, message, options);
      this.name = name;
      brandError(this, brand);
    }

    static override isInstance(error: unknown): error is InteropError<Code> {
      return hasErrorBrand(error, brand);
    }

    static hasCode(code: unknown): code is Code {
      return typeof code === 'string' && (Object.hasOwn(table, code) || Object.hasOwn(sharedErrorCodes, code));
    }
  }
  Object.defineProperty(FamilyError, 'name', { value: name });
  return FamilyError;
}

/** Options of {@link translateErrors}. */
export interface TranslateErrorsOptions<Code extends string> {
  /** The brand key of the family whose errors are translated, e.g. `'@interop/native/NativeError'`; other errors pass through. */
  readonly from: string;
  /** The operation, named in the message and in `details.operation`. */
  readonly operation: string;
  /** Codes of the source family that map to another code of the target family. */
  readonly codes?: Readonly<Record<string, Code>>;
  /** The code used when the source code is neither shared nor in `codes`. */
  readonly fallback: Code;
}

/**
 * Runs `call`; an error of the family branded `options.from` is re-thrown as `family`: the same
 * code when `family` can carry it (the shared codes), else `options.codes[code]`, else
 * `options.fallback`. The original error is the `cause` and its code is `details.sourceCode`, so
 * nothing of it is lost. Any other error passes through unchanged.
 *
 * @example
 * ```ts
 * import { defineErrorFamily, translateErrors, type ErrorFamily, type SharedErrorCode } from '@interop/core';
 * const ZipError: ErrorFamily<'ERR_ZIP_IO' | SharedErrorCode> = defineErrorFamily('ZipError', '@acme/zip/ZipError', { ERR_ZIP_IO: 'I/O failed.' });
 * const IoError = defineErrorFamily('IoError', '@acme/io/IoError', { ERR_IO_DISK: 'The disk failed.' });
 * try {
 *   translateErrors(ZipError, () => { throw new IoError('ERR_IO_DISK', 'disk 0 failed'); }, { from: '@acme/io/IoError', operation: 'extract', fallback: 'ERR_ZIP_IO' });
 * } catch (error) {
 *   console.log(ZipError.isInstance(error) && error.code); // "ERR_ZIP_IO"
 * }
 * ```
 */
export function translateErrors<T, Code extends string>(family: ErrorFamily<Code>, call: () => T, options: TranslateErrorsOptions<Code>): T {
  try {
    return call();
  } catch (error) {
    if (!hasErrorBrand(error, Symbol.for(options.from)) || !InteropError.isInstance(error)) throw error;
    const source = error.code;
    const mapped = options.codes !== undefined && Object.hasOwn(options.codes, source) ? options.codes[source] : undefined;
    const code = family.hasCode(source) ? source : (mapped ?? options.fallback);
    throw new family(code, `${options.operation}: ${error.message}`, {
      cause: error,
      details: { ...error.details, operation: options.operation, sourceCode: source },
    });
  }
}

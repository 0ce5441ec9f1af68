const interopErrorMarker = Symbol.for('@interop/error');

/** Structured, machine-readable facts about a failure; messages are for people, these are for code. */
export interface ErrorDetails {
  /** The operation that was refused, e.g. `"resize"` or `"getbuffer"`. */
  readonly operation?: string;
  /** Live exports at the time of the failure (for `ERR_BUFFER_EXPORTED`). */
  readonly liveExports?: number;
  /** The request flags, for flag-related failures. */
  readonly requestedFlags?: number;
  /** Position in a format string or header, for parse errors. */
  readonly position?: number;
  /** The dimension an index or layout problem concerns. */
  readonly dimension?: number;
  /** Anything else a caller may want to inspect. */
  readonly [key: string]: unknown;
}

/** Options accepted by every Interop error constructor. */
export interface InteropErrorOptions {
  readonly cause?: unknown;
  readonly details?: ErrorDetails;
}

/**
 * Base class of every error thrown by Interop packages: a stable `code`, structured `details`,
 * and a `Symbol.for` brand so that errors from another copy of a package are still recognised.
 *
 * @example
 * ```ts
 * try { lock.assertUnlocked('resize'); } catch (error) {
 *   if (InteropError.isInstance(error)) console.log(error.code);
 * }
 * ```
 */
export class InteropError<Code extends string = string> extends Error {
  /** The stable code: part of semver, listed in docs/errors.md. */
  readonly code: Code;
  /** Structured fields describing the failure. */
  readonly details: ErrorDetails;

  constructor(code: Code, message: string, options: InteropErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, interopErrorMarker, { value: true });
  }

  /** True for any Interop error, from any copy of any Interop package. */
  static isInstance(error: unknown): error is InteropError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[interopErrorMarker] === true;
  }
}

/**
 * Marks an instance with a per-class brand so `isInstance` works across package copies.
 * Used by the constructors of every error family (BufferError, NpyError, ...).
 */
export function brandError(error: Error, brand: symbol): void {
  Object.defineProperty(error, brand, { value: true });
}

/** True when `error` carries `brand` (see {@link brandError}). */
export function hasErrorBrand(error: unknown, brand: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

import { ImageError } from '../errors/image-error.js';

/** The optional peer packages, with the version this package is tested with (named in errors). */
export const optionalPackages = { sharp: '0.35.6', '@itk-wasm/image-io': '1.6.1' } as const;

/** An optional peer package's name. */
export type OptionalPackage = keyof typeof optionalPackages;

type Importer = (name: string) => Promise<unknown>;

// A variable specifier keeps bundlers from resolving (and failing on) packages a page never loads.
const defaultImporter: Importer = (name) => import(/* @vite-ignore */ name) as Promise<unknown>;
let importer: Importer = defaultImporter;
const loaded = new Map<string, Promise<unknown>>();

/**
 * Loads an optional peer package, or throws `ERR_IMAGE_CODEC_MISSING` naming what to install.
 * A failed load is not cached, so installing the package fixes a long-running process.
 */
export async function loadOptional<T>(name: OptionalPackage, purpose: string): Promise<T> {
  let pending = loaded.get(name);
  if (pending === undefined) {
    pending = importer(name);
    loaded.set(name, pending);
  }
  try {
    return (await pending) as T;
  } catch (cause) {
    loaded.delete(name);
    throw new ImageError(
      'ERR_IMAGE_CODEC_MISSING',
      `${purpose} needs the optional package "${name}", which could not be loaded (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}). Install it beside @interop/image: npm install ${name}@${optionalPackages[name]}.`,
      { cause, details: { operation: purpose } },
    );
  }
}

const absent = new Set<string>();

/**
 * The package when it loads, else undefined (for `codec: 'auto'`). An absent package is
 * remembered, so a page without sharp does not retry the import on every call.
 */
export async function probeOptional<T>(name: OptionalPackage): Promise<T | undefined> {
  if (absent.has(name)) return undefined;
  try {
    return await loadOptional<T>(name, 'probe');
  } catch {
    absent.add(name);
    return undefined;
  }
}

/** @internal Tests replace the importer to simulate a missing package; `undefined` restores it. */
export function setOptionalImporter(replacement: Importer | undefined): void {
  importer = replacement ?? defaultImporter;
  loaded.clear();
  absent.clear();
}
